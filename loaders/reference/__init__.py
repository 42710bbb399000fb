"""NHS reference data shipped with caregraph: one home, ``loaders/reference/data/``, with one ``SOURCES.md``.

``organisations`` (regions, ICBs, sub-ICB locations, trusts and practices as
a dated graph), ``specialised`` (co-dependencies between services and NHS
England's published delegation decisions) and ``data_files`` (where the
files are, read from the installed package).
"""
