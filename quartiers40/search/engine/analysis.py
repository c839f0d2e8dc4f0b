"""French text analysis: normalisation, tokens, stop words, stems.

Every token this module produces matches ``^[a-z0-9]+$`` so that PostgreSQL's 'simple' parser and
SQLite FTS5's unicode61 tokenizer both keep it whole.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_APOSTROPHES = "'’‘`´ʼ′"
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD_WITH_HYPHENS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ORDINAL = re.compile(r"^(\d+)(?:e|eme|ieme|er|ere|nd|nde|em|me)$")
# Elided articles and pronouns: l' d' j' qu' n' s' c' m' t' (the apostrophe is gone by then).
ELISIONS = frozenset({"l", "d", "j", "qu", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu"})

_STOP_TEXT = """
    a au aux avec ce ces cet cette ca ci dans de des du elle elles en et eux il ils je la le les
    leur leurs lui ma mais me meme mes moi mon ne ni nos notre nous on ou par pas pour qu que
    qui sa se ses si son sur ta te tes toi ton tu un une vos votre vous y sans chez vers entre
    est sont suis es etes sommes etre ete etait ai as avons avez ont avoir eu fait faire fais
    font peut peux pouvoir peuvent dois doit doivent faut falloir veux veut voudrais vouloir
    aimerais souhaite souhaiterais cherche cherchons chercher recherchons trouver trouve besoin
    comment quoi quel quelle quels quelles quand combien pourquoi la-bas ici tout tous toute
    toutes tres plus moins bien aussi encore deja alors donc car comme ceci cela celui celle
    ceux celles dont lequel laquelle lesquels autre autres bonjour merci svp stp sil plait
    quelqu quelque quelques possible genre truc vraiment juste peu beaucoup oui non ya estce the
    of for and to in with my how where what is are an i need want find looking can do does your
    our their this that it its from near about some any please contre avant apres depuis pendant
    selon parmi malgre durant via afin lors pres proche proximite autour cote environs alentours
    puis pourrais pourrait pouvez pourriez savoir sais connaitre connais existe existent exister
    avez-vous voici voila slt bjr wesh tkt jsp jcp chui chuis jsuis pk pq bcp mrc
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
# Generic nouns and verbs that set the scene rather than the topic ("dans ma commune",
# "pour mon association", "mes documents", "une structure qui aide", "lutter contre"): they
# count less.
_WEAK_TEXT = """
    commune communes ville villes quartier quartiers association associations structure
    structures aide aides aider personne personnes gens projet projets service services
    solution solutions outil outils plateforme plateformes site lieu lieux endroit organisme
    organismes dispositif dispositifs document documents chose choses moyen moyens
    lutter lutte favoriser permettre ameliorer faciliter simplifier developper proposer mettre
    utiliser obtenir aller payer
    """
WEAK_WORDS = frozenset(_WEAK_TEXT.split())
WEAK_FACTOR = 0.4
# Short words that stay meaningful although they look like stop words are simply not listed
# above: acronyms (ia, cv, rsa, caf, apl, ess, qpv) are kept, and so are digits.

_STEMMER = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lowercase, ligatures expanded, accents removed; apostrophes become spaces."""
    text = text.translate(_LIGATURES).lower()
    for mark in _APOSTROPHES:
        text = text.replace(mark, " ")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _normalise_token(token: str) -> str:
    match = _ORDINAL.match(token)
    if match:
        return match.group(1) + "e"
    return token


def tokens(text: str, *, keep_elisions: bool = False, join_hyphens: bool = True) -> list[str]:
    """Folded word tokens in order, elisions dropped; a hyphenated word gives its parts and,
    when one part is very short ("e-mail", "co-working"), the joined form too."""
    out: list[str] = []
    folded = fold(text)
    for chunk in _WORD_WITH_HYPHENS.findall(_NON_WORD.sub(_hyphen_keep, folded)):
        parts = [p for p in chunk.split("-") if p]
        for part in parts:
            if not keep_elisions and part in ELISIONS:
                continue
            out.append(_normalise_token(part))
        if (
            join_hyphens
            and len(parts) == 2
            and min(len(p) for p in parts) <= 2
            and not ELISIONS.intersection(parts)
            and not STOP_WORDS.intersection(parts)  # "puis-je", "peut-on", "est-ce"
        ):
            out.append(parts[0] + parts[1])
    return out


def _hyphen_keep(match: re.Match[str]) -> str:
    return "-" if match.group(0) in {"-", "‐", "‑", "–"} else " "


def is_stop(token: str) -> bool:
    return token in STOP_WORDS or (len(token) == 1 and not token.isdigit())


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if not is_stop(t)]


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball French stem of a folded token, with a doubled final consonant collapsed
    ("travaill" -> "travail") so verbs and nouns meet more often."""
    if len(token) <= 3 or token.isdigit():
        return token
    # Accents are folded before stemming (queries often lack them): "-ees", "-ee" were "-ées",
    # "-ée", the feminine and plural of a past participle or a noun.
    if token.endswith("ees") and len(token) > 5:
        token = token[:-2]
    elif token.endswith("ee") and len(token) > 4:
        token = token[:-1]
    stemmed = _STEMMER.stemWord(token)
    if len(stemmed) >= 4 and stemmed[-1] == stemmed[-2] and stemmed[-1] not in "aeiouy":
        stemmed = stemmed[:-1]
    return stemmed if stemmed else token


def index_terms(text: str) -> list[str]:
    """Terms of one field: each content token, followed by its stem when it differs."""
    out: list[str] = []
    for token in content_tokens(text):
        out.append(token)
        stemmed = stem(token)
        if stemmed != token:
            out.append(stemmed)
    return out
