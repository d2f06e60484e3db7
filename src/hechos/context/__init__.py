"""Article context: what a sentence alone cannot say.

dates (when), places (where), quotes (who said it), coref (who "he" is) and dedup (one
event per happening). Each module takes the parsed sentences, their mentions and the
sentence-level events and adds to them; none reaches back into the coder.
"""
