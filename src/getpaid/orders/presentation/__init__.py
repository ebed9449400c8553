"""Words and amounts for people: what pages show, in the reader's language.

The domain (``api/``) decides what a viewer sees and may do and gives it as
plain data (api/access.py, api/projection.py); this package writes it out
for a person (money as their language writes it, country names, dates,
history lines). No views here: ``browser/`` renders these.
"""
