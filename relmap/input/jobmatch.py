"""Job title → O*NET-SOC occupation: a small, explainable fuzzy matcher (English and French titles).

Names to match against: the 923 O*NET occupation titles (``occupations.csv``)
and ~700 common job titles in English and French mapped to a code by relmap
(``seeds/job_titles.csv``: hotel, care, bank, office, retail, industry, IT).

Scoring, for a title's token set ``A`` and a name's token set ``B`` (tokens
normalised: lower case, accents and gender marks removed — ``serveuse`` →
``serveur``, ``(e)``, ``H/F`` dropped —, stop words dropped, light stemming),
with inverse-document-frequency weights ``w(t) = ln(1 + N / df(t))`` over the
``N`` names (a word no name has gets the rarest weight):

    coverage_title = w(A ∩ B) / w(A)        coverage_name = w(A ∩ B) / w(B)
    score = coverage_title × (0.7 + 0.3 × coverage_name)

so 1 is an exact match, a title entirely found in a longer name scores at
least 0.7, and words of the title that no name has pull the score down. A
French title is also scored after word-by-word translation
(:data:`FRENCH_WORDS`); the better of the two counts. Context words (the
department, the sector) add ``0.15 × w(C ∩ B) / w(C)``: they break ties
(``Réceptionniste`` in ``Front office`` → hotel desk clerk) but never make a
match alone. An occupation's score is its best name's; below
:data:`MATCH_THRESHOLD` the title is reported as unmatched.

Why not a general fuzzy library: job titles are short, their useful signal is
which rare words they share (``payroll``, ``chambre``), and the consultant must
be able to read why a code was chosen — the score and the next two candidates
go into the draft as ``# check:`` comments.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

__all__ = ["MATCH_THRESHOLD", "Candidate", "Match", "match_title", "match_titles", "normalize_title", "tokens"]

#: Below this score a title is reported as unmatched (archetype prior, ``# check:``).
MATCH_THRESHOLD = 0.55
CONTEXT_WEIGHT = 0.2

_STOP_WORDS = (
    "and of the for in to a an at on with de du des la le les l d a au aux en et pour par sur chez un une "
    "h f m hf fh mf x senior junior sr jr confirme confirmee debutant experimente cdi cdd interim interimaire "
    "temps partiel plein part time full ii iii iv niveau level grade apprenti apprentie alternant alternante "
    "stagiaire intern trainee saisonnier saisonniere seasonal permanent remplacant remplacante")
_STOP = frozenset(_STOP_WORDS.split())

_GENDER = re.compile(r"\((?:e|ne|ere|euse|rice|se|le|ve|es)\)|[·.](?:e|ne|es)\b|/(?:ere|euse|rice|e)\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")

#: French words (normalised) → English words, for titles the alias table does not hold.
FRENCH_WORDS: dict[str, str] = {
    "directeur": "manager director", "directrice": "manager director", "responsable": "manager",
    "chef": "chef head supervisor", "adjoint": "assistant", "adjointe": "assistant", "assistant": "assistant",
    "agent": "agent clerk", "employe": "clerk worker", "technicien": "technician", "ingenieur": "engineer",
    "comptable": "accountant", "comptabilite": "accounting", "paie": "payroll", "gestionnaire": "clerk specialist",
    "commercial": "sales representative", "vendeur": "salesperson retail", "caissier": "cashier",
    "cuisinier": "cook", "cuisine": "kitchen cook", "serveur": "waiter server", "plongeur": "dishwasher",
    "reception": "front desk", "receptionniste": "receptionist", "hotel": "hotel", "hotellerie": "hotel lodging",
    "hebergement": "hotel lodging rooms", "etage": "housekeeping", "etages": "housekeeping",
    "menage": "housekeeping cleaning", "entretien": "maintenance cleaning", "maintenance": "maintenance",
    "securite": "security", "gardien": "guard", "chauffeur": "driver", "magasinier": "warehouse stock",
    "logistique": "logistics", "informatique": "computer it", "developpeur": "developer",
    "infirmier": "nurse", "soignant": "nursing", "aide": "aide assistant", "medecin": "physician",
    "conseiller": "advisor representative", "clientele": "customer", "client": "customer", "banque": "bank",
    "bancaire": "bank", "credit": "credit loan", "guichetier": "teller", "secretaire": "secretary",
    "administratif": "administrative", "ressources": "resources", "humaines": "human", "rh": "human resources",
    "formation": "training", "qualite": "quality", "achat": "purchasing", "achats": "purchasing",
    "acheteur": "buyer", "communication": "communications", "juriste": "legal counsel",
    "ouvrier": "worker", "soudeur": "welder", "electricien": "electrician", "plombier": "plumber",
    "menuisier": "carpenter", "boulanger": "baker", "boucher": "butcher", "patissier": "pastry baker",
    "barman": "bartender", "gouvernante": "housekeeper supervisor", "lingere": "laundry", "linge": "laundry",
    "blanchisserie": "laundry", "bagagiste": "baggage porter", "voiturier": "valet parking", "nuit": "night",
    "jour": "day", "accueil": "reception information", "animateur": "recreation activities",
    "restauration": "food service restaurant", "restaurant": "restaurant", "salle": "dining room",
    "petit": "breakfast", "dejeuner": "breakfast", "chambre": "room", "chambres": "rooms",
    "femme": "maid", "valet": "valet", "veilleur": "night", "recouvrement": "collections",
    "facturation": "billing", "saisie": "data entry", "standard": "switchboard", "standardiste": "switchboard",
    "vente": "sales", "ventes": "sales", "marketing": "marketing", "direction": "executive management",
    "general": "general", "generale": "general", "exploitation": "operations", "production": "production",
    "operateur": "operator", "conducteur": "operator driver", "ligne": "line", "controleur": "controller inspector",
    "gestion": "management", "analyste": "analyst", "consultant": "consultant", "projet": "project",
    "soins": "care nursing", "sante": "health", "social": "social", "educateur": "educator",
    "puericulture": "childcare", "enfance": "child", "domicile": "home", "vie": "care", "residents": "residents",
    "patrimoine": "wealth financial", "patrimonial": "financial", "assurance": "insurance", "pret": "loan",
    "prets": "loan", "immobilier": "mortgage real estate", "particuliers": "personal", "entreprises": "business",
    "agence": "branch", "siege": "head office", "tresorerie": "treasury", "controle": "control",
    "conformite": "compliance", "risques": "risk", "audit": "audit", "juridique": "legal",
    "batiment": "building", "technique": "technical", "travaux": "works", "piscine": "pool", "spa": "spa",
    "comptes": "accounts", "compte": "account", "grands": "key",
    "estheticienne": "skincare specialist", "estheticien": "skincare specialist", "masseur": "massage therapist",
}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _stem(token: str) -> str:
    """Light stemming shared by English and French: plurals and feminine forms fold onto one token."""
    for end, repl in (("ieres", "ier"), ("iere", "ier"), ("euses", "eur"), ("euse", "eur"), ("rices", "teur"),
                      ("trice", "teur"), ("iennes", "ien"), ("ienne", "ien"), ("antes", "ant"), ("ante", "ant"),
                      ("ies", "y"), ("ees", "e"), ("ee", "e")):
        if len(token) > len(end) + 2 and token.endswith(end):
            return token[: -len(end)] + repl
    if len(token) > 3 and token[-1] in "sx" and not token.endswith("ss"):
        return token[:-1]
    return token


def normalize_title(title: str) -> str:
    """Lower case, accents removed, gender marks (``(e)``, ``·e``, ``/ère``, ``H/F``) removed, words only."""
    text = _strip_accents(title).casefold()
    text = re.sub(r"\b[hfm]\s*/\s*[hfm]\b", " ", text)
    text = _GENDER.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def tokens(title: str) -> tuple[str, ...]:
    """The stemmed, meaningful words of a title (stop words and digits dropped), in order, without repeats."""
    out: list[str] = []
    for word in normalize_title(title).split():
        if word in _STOP or word.isdigit():
            continue
        stem = _stem(word)
        if stem not in out:
            out.append(stem)
    return tuple(out)


def _translated(words: Sequence[str]) -> tuple[str, ...]:
    """Tokens of the word-by-word English translation of a (normalised) French title."""
    out: list[str] = []
    for word in words:
        for t in tokens(FRENCH_WORDS.get(word, word)):
            if t not in out:
                out.append(t)
    return tuple(out)


@dataclass(frozen=True)
class Candidate:
    """One occupation proposed for a title: code, O*NET title, score (0..1) and the name that matched."""

    code: str
    title: str
    score: float
    name: str


@dataclass(frozen=True)
class Match:
    """The result for one job title: the best candidates (best first); ``best`` is None when below threshold."""

    title: str
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        """The chosen occupation, or None when the best score is below :data:`MATCH_THRESHOLD`."""
        if self.candidates and self.candidates[0].score >= MATCH_THRESHOLD:
            return self.candidates[0]
        return None


@dataclass(frozen=True)
class _Index:
    names: tuple[tuple[str, str, frozenset[str]], ...]  # (code, name, tokens)
    postings: dict[str, tuple[int, ...]]
    weight: dict[str, float]
    rare: float
    titles: dict[str, str]
    words: dict[str, frozenset[str]]  # code → tokens of all its names (for the context bonus)


@functools.cache
def _index() -> _Index:
    """Every name (O*NET titles and the alias table) with its tokens, an inverted index and the IDF weights."""
    from ..seeds import occupations

    titles = {code: p.name_en for code, p in occupations().items()}
    names: list[tuple[str, str, frozenset[str]]] = [(code, title, frozenset(tokens(title)))
                                                    for code, title in titles.items()]
    text = resources.files("relmap.seeds").joinpath("job_titles.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        for alias in row["titles"].split("|"):
            if alias.strip() and row["code"] in titles:
                names.append((row["code"], alias.strip(), frozenset(tokens(alias))))
    postings: dict[str, list[int]] = {}
    for i, (_code, _name, toks) in enumerate(names):
        for t in toks:
            postings.setdefault(t, []).append(i)
    n = len(names)
    weight = {t: math.log(1 + n / len(ids)) for t, ids in postings.items()}
    words: dict[str, set[str]] = {}
    for code, _name, toks in names:
        words.setdefault(code, set()).update(toks)
    return _Index(tuple(names), {t: tuple(ids) for t, ids in postings.items()}, weight, math.log(1 + n), titles,
                  {code: frozenset(ws) for code, ws in words.items()})


def _scores(query: Sequence[str], context: Sequence[str], index: _Index) -> dict[int, float]:
    """Score of every name sharing a token with ``query`` (formula in the module docstring)."""
    w = index.weight
    total_q = sum(w.get(t, index.rare) for t in query)
    total_c = sum(w.get(t, index.rare) for t in context)
    hits: set[int] = set()
    for t in query:
        hits.update(index.postings.get(t, ()))
    out: dict[int, float] = {}
    for i in hits:
        toks = index.names[i][2]
        inter = sum(w[t] for t in query if t in toks)
        total_n = sum(w[t] for t in toks)
        score = (inter / total_q) * (0.7 + 0.3 * inter / total_n) if total_q and total_n else 0.0
        if total_c:
            known = index.words[index.names[i][0]]
            score += CONTEXT_WEIGHT * sum(w.get(t, 0.0) for t in context if t in known) / total_c
        out[i] = score
    return out


def match_title(title: str, context: Iterable[str] = (), top: int = 3) -> Match:
    """The ``top`` occupations closest to a job title, best first (ties broken by code).

    Args:
        title: the job title as written in the HR file (English or French).
        context: other words known about the job (department, sector): they break ties.
        top: how many candidates to return.
    """
    index = _index()
    query = tokens(title)
    words = [w for w in normalize_title(title).split() if w not in _STOP]
    ctx_words = [w for c in context for w in normalize_title(c).split() if w not in _STOP]
    context_tokens = tuple(dict.fromkeys((*tokens(" ".join(ctx_words)), *_translated(ctx_words))))
    best: dict[str, tuple[float, str]] = {}
    for q in (query, _translated(words)):
        if not q:
            continue
        for i, score in _scores(q, context_tokens, index).items():
            code, name, _toks = index.names[i]
            if score > best.get(code, (-1.0, ""))[0]:
                best[code] = (score, name)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:top]
    return Match(title, tuple(Candidate(code, index.titles[code], round(min(1.0, s), 3), name)
                              for code, (s, name) in ranked))


def match_titles(titles: Iterable[str], context: Iterable[str] = ()) -> list[Match]:
    """:func:`match_title` for each title, with the same context."""
    ctx = tuple(context)
    return [match_title(t, ctx) for t in titles]
