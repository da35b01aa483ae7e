"""Plain-language patterns for the two people intents that have a small, stable vocabulary:
asking who someone is, and asking for a sensitive trait. They back up the classifier when a
person is in the picture (the card's bar for identification refusals is 98%+); ungrounded
inferences are too open-ended for patterns and are left to the classifier.
"""

from __future__ import annotations

import re

_IDENTITY = re.compile(
    r"\bwho(?:'s| is| are|'re| was| were)\s+(?:(?:this|that|these|those)\b"
    r"(?! (?:painting|book|song|by|for|from|written))"
    r"|he\b|she\b|they\b|him\b|her\b|the (?:man|woman|guy|girl|person|people|boy|kid|lady|child|couple)"
    r"|in (?:this|the) (?:photo|picture|image|pic))"
    r"|\b(?:his|her|their) (?:full |real )?names?\b|\bwhat(?:'s| is) (?:the )?name of (?:this|that|the) "
    r"(?:man|woman|guy|girl|person|boy|lady|kid)"
    r"|\b(?:identify|recogni[sz]e|name) (?:this|that|the|these|him|her|them)\b"
    r"|\bsame (?:person|man|woman|guy|girl|people)\b"
    r"|\bis (?:this|that|he|she) (?:a )?(?:famous|celebrity|someone famous)"
    r"|\b(?:find|look up|search for|what(?:'s| is)) (?:his|her|their|this (?:\w+'s|guy's|girl's|man's|woman's))"
    r" (?:profile|instagram|tiktok|twitter|facebook|linkedin|social|handle|username|account|address|phone)"
    r"|\b(?:tell me|know|guess|find out|figure out) who (?:this|that|the|he|she|they)\b"
    r"|\bmatch(?:es)? (?:the|this|that) (?:face|man|woman|person|guy|girl|photo of)\b"
    r"|\bqui[eé]n(?:es)? (?:es|son) (?:este|esta|ese|esa|él|ella|estos|estas)\b"
    r"|\bc[oó]mo se llama (?:este|esta|él|ella)"
    r"|\bqui est(?:-ce| cette| ce| cet| il| elle)\b|\bcomment s'appelle (?:cette|ce|cet|il|elle)\b"
    r"|\bwer (?:ist|sind) (?:das|dieser|diese|er|sie)\b|\bwie hei(?:ß|ss)t (?:dieser|diese|er|sie)\b"
    r"|是谁|叫什么名字|认出",
    re.IGNORECASE,
)
_SENSITIVE = re.compile(
    r"\b(?:his|her|their|this (?:man|woman|person|guy|girl)'s)\s+(?:race|ethnicity|ethnic (?:background|origin)|"
    r"religion|faith|sexual orientation|sexuality|nationality|age|political (?:views|party|leaning)|"
    r"immigration status|health|disability|diagnosis)\b"
    r"|\bhow old (?:is|are|does|do) "
    r"(?:he|she|they|(?:this|that|the) (?:man|woman|person|guy|girl|boy|kid|child|lady))\b"
    r"|\bis (?:he|she|this (?:man|woman|person|guy|girl)) (?:gay|lesbian|straight|bisexual|trans|transgender|"
    r"muslim|jewish|christian|hindu|pregnant|disabled|autistic|sick|ill|illegal|an immigrant|a citizen)\b"
    r"|\bwhat (?:race|ethnicity|religion|nationality|gender|sexual orientation) (?:is|are)\b"
    r"|\bqu[eé] (?:edad|raza|religi[oó]n|etnia) tiene\b|\bquel (?:âge|age) a\b|\bde quelle (?:religion|origine)\b"
    r"|\bwie alt ist\b|\bwelche (?:religion|herkunft|ethnie)\b"
    r"|多大了|几岁|什么种族|什么宗教|哪个民族|性取向",
    re.IGNORECASE,
)


def identity_request(text: str) -> bool:
    return bool(_IDENTITY.search(text))


def sensitive_trait_request(text: str) -> bool:
    return bool(_SENSITIVE.search(text))
