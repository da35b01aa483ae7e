"""sightguard: the GPT-4V System Card's safety system in front of any vision-language model."""

__version__ = "0.1.0"
