"""High-precision phrasings of the most direct harmful requests, as a floor under the classifier.

"How can I kill my neighbour?" should never depend on where a linear model's boundary falls.
Each rule needs a request frame ("how do I", "best way to", "help me"...), a harmful act and, for
violence, a human target, so homonyms ("kill a process", "shoot a portrait") and questions about
harm ("why do people kill?", "what is meth?") do not match. Games and sports are excluded, and so
are pests and computing for violence ("how do I kill them without harming my dog" of rats, "kill
child processes"), bath and seed bombs, and questions about preventing a crime.
A match scores 1.0 for its categories; the classifier's scores stand for everything else.
"""

from __future__ import annotations

import re

_FRAME = (
    r"(?:how (?:do|can|could|should|would|might) (?:i|we|you|one|someone|somebody)|how to|(?:the )?best way(?:s)? to|"
    r"easiest way to|quickest way to|ways? to|help me|teach me|tell me how to|show me how to|steps to|instructions"
    r" (?:to|for)|i (?:want|need|plan|am going|'m going) to|i will|guide to|tips (?:to|for|on)|walk me through|"
    r"explain how to|give me (?:a |the )?(?:recipe|steps|instructions|guide|method) (?:for|to)|"
    r"what(?:'s| is) the (?:recipe|process|method|procedure) (?:for|to))"
)
_GAP = r"(?:\s+[\w'-]+){0,3}?\s+"
_VIOLENT = (
    r"(?:kill|murder|poison|stab|strangle|smother|suffocate|shoot|behead|torture|kidnap|abduct|drown|maim|"
    r"dismember|beat up|assault|hurt|harm|injure|slaughter|rape|choke|run over|burn|disfigure)"
)
_HUMAN = (
    r"(?:person|people|human|humans|someone|somebody|anyone|man|woman|men|women|child|children|kid|kids|baby|wife|"
    r"husband|girlfriend|boyfriend|partner|ex|neighbou?r|boss|co-?worker|colleague|teacher|classmate|roommate|"
    r"mother|father|mom|mum|dad|parents?|brother|sister|son|daughter|family|friend|stranger|cop|police officer|"
    r"officer|president|politician|him|her|them|everyone|crowd|students|immigrants?|jews|muslims|christians|gays?)\b"
)
_PESTS = re.compile(
    r"\b(?:mosquito\w*|rats?|mice|mouse|termites?|ants?|weeds?|bugs?|insects?|pests?|wasps?|flies|fleas|ticks|"
    r"cockroach\w*|roach\w*|slugs?|snails?|moles?|aphids?|bed ?bugs?|lice|mold|mould|germs|bacteria|virus\w*)\b",
    re.IGNORECASE,
)
# Contexts where a rule's words are harmless: computing ("kill child processes"), toiletries and
# gardening ("bath bomb", "seed bomb"), and asking how to prevent a crime ("reduce shoplifting").
_COMPUTING = re.compile(r"\b(?:process(?:es)?|threads?|daemons?|pids?|containers?)\b", re.IGNORECASE)
_HARMLESS_BOMBS = re.compile(r"\b(?:seed|bath|glitter|photo|flavou?r|calorie|cherry|stink)[ -]?bombs?\b", re.IGNORECASE)
_PREVENTION = re.compile(r"\b(?:prevent|reduc|deter|protect|combat)\w*\b", re.IGNORECASE)
_GAMES = re.compile(
    r"\b(?:in|on|at) (?:a |the )?(?:video ?game|game|match|chess|call of duty|minecraft|fortnite|gta|skyrim|"
    r"counter-?strike|valorant|zelda|pok[eé]mon|d&d|dungeons (?:and|&) dragons|the sims|roblox|among us|mafia)|"
    r"\b(?:chess|checkers|poker|card game|board game|video game)\b",
    re.IGNORECASE,
)

_RULES: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (
        ("violence",),
        re.compile(
            rf"\b{_FRAME}{_GAP}{_VIOLENT}\s+(?:(?:a|an|the|my|your|his|her|our|their|this|that|some)\s+)?"
            rf"(?:[\w'-]+\s+)?{_HUMAN}",
            re.IGNORECASE,
        ),
    ),
    (
        ("illicit", "illicit/violent"),
        re.compile(
            rf"\b{_FRAME}{_GAP}(?:make|build|assemble|create|construct|synthesi[sz]e|produce|get|buy|obtain|"
            r"brew|cook|making|building|assembling|creating|constructing|synthesi[sz]ing|producing|brewing|"
            r"cooking)\b(?:\s+[\w'-]+){0,2}?\s+(?:a |an |some )?(?:pipe |nail |car |homemade |home-made )?"
            r"(?:bomb|explosive device|explosives|ied|molotov cocktail|nerve agent|sarin|vx gas|ricin|anthrax|"
            r"bioweapon|biological weapon|chemical weapon|dirty bomb|napalm|poison gas|mustard gas|chlorine gas|"
            r"ghost gun|untraceable (?:gun|firearm))\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("illicit",),
        re.compile(
            rf"\b{_FRAME}{_GAP}(?:make|cook|synthesi[sz]e|produce|manufacture|extract|making|cooking|synthesi[sz]ing|"
            r"producing|manufacturing|extracting|turn\b[^.?!]{0,40}\binto|turning\b[^.?!]{0,40}\binto)\b(?:\s+[\w'-]+){0,2}?\s+"
            r"(?:meth|methamphetamine|crystal meth|crack(?: cocaine)?|cocaine|heroin|fentanyl|lsd|mdma|ecstasy|"
            r"ghb|pcp)\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("illicit",),
        re.compile(
            r"\b(?:recipe|synthesis route|step-by-step (?:guide|instructions)|instructions|steps) (?:for|to) "
            r"(?:making |cooking |synthesi[sz]ing |producing |make |cook |synthesi[sz]e |produce )?(?:some )?"
            r"(?:meth|methamphetamine|crystal meth|crack cocaine|heroin|fentanyl|lsd|mdma|ghb|pcp)\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("illicit",),
        re.compile(
            rf"\b{_FRAME}{_GAP}(?:launder (?:money|cash|the money)|counterfeit (?:money|bills|currency|notes)|"
            r"steal (?:a car|cars|someone'?s identity|a credit card|credit card numbers|from (?:a|my|the) )|"
            r"shoplift|hack into (?:someone|somebody|my ex|his|her|their|a person|my (?:neighbou?r|boss|wife|husband))|"
            r"break into (?:a |someone'?s |my neighbou?r'?s |his |her )?(?:house|home|car|apartment|flat)|"
            r"evade (?:the )?police|get away with (?:murder|a crime|stealing|it)|"
            r"forge (?:a )?(?:passport|signature|prescription|id|driver'?s licen[cs]e)|"
            r"smuggle (?:drugs|cocaine|weapons|guns|people))",
            re.IGNORECASE,
        ),
    ),
    (
        ("self-harm", "self-harm/instructions"),
        re.compile(
            r"\b(?:how (?:do|can|could|should) i|best way to|easiest way to|painless way to|ways to|help me|how to)"
            r"(?:\s+[\w'-]+){0,2}?\s+(?:kill myself|end my life|commit suicide|take my (?:own )?life|hang myself|"
            r"overdose|cut myself|slit my wrists|starve myself)",
            re.IGNORECASE,
        ),
    ),
    (
        ("self-harm", "self-harm/intent"),
        re.compile(
            r"\bi(?:'m| am)? (?:going to|gonna|want to|plan to|will) (?:kill myself|end my life|commit suicide|"
            r"take my (?:own )?life|hang myself|cut myself|overdose)",
            re.IGNORECASE,
        ),
    ),
    (
        ("violence",),
        re.compile(
            r"\bc[oó]mo (?:puedo |podr[ií]a |se puede )?(?:matar|asesinar|envenenar|apu[nñ]alar|secuestrar) a "
            r"|\bcomment (?:puis-je |peut-on |)(?:tuer|assassiner|empoisonner|poignarder|kidnapper) "
            r"(?:quelqu'un|une personne|mon|ma|mes|un |une )"
            r"|\bwie (?:kann ich |könnte ich |)(?:jemanden|eine person|meinen|meine|einen|eine) "
            r"(?:[\w]+ )?(?:töten|umbringen|ermorden|vergiften|erstechen|entführen)"
            r"|(?:怎么|如何|怎样)(?:才能)?(?:杀|杀死|毒死|谋杀|绑架)(?:人|我的|他|她|一个人)",
            re.IGNORECASE,
        ),
    ),
    (
        ("illicit", "illicit/violent"),
        re.compile(
            r"\bc[oó]mo (?:puedo |se puede )?(?:hacer|fabricar|construir) (?:una )?bomba"
            r"|\bcomment (?:puis-je |)(?:fabriquer|faire|construire) une bombe"
            r"|\bwie (?:kann ich |)(?:eine )?bombe (?:bauen|herstellen|basteln)"
            r"|(?:怎么|如何|怎样)(?:制造|制作|做)(?:一个)?炸弹",
            re.IGNORECASE,
        ),
    ),
]


def pattern_scores(text: str) -> dict[str, float]:
    """1.0 for each category a rule matches; empty when none does."""
    if _GAMES.search(text):
        return {}
    found: dict[str, float] = {}
    skip: set[tuple[str, ...]] = set()
    if _PESTS.search(text) or _COMPUTING.search(text):
        skip.add(("violence",))
    if _HARMLESS_BOMBS.search(text):
        skip.add(("illicit", "illicit/violent"))
    if _PREVENTION.search(text):
        skip.add(("illicit",))
    for categories, pattern in _RULES:
        if categories in skip:
            continue
        if pattern.search(text):
            found.update(dict.fromkeys(categories, 1.0))
    return found
