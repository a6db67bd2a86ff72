"""Budget initiatives (*budgetinitiativer*) followed up for a political committee (seed 004).

Owns committees, initiatives per budget year with their allocation per year, the numbered
recommendations (*anbefalinger*) they fund with money per year and a responsible person,
milestones, one status per recommendation per quarter (with history), the allocation check,
the quarterly committee paper (PDF/DOCX, each generated version kept) and the collection of
operational figures other apps offer through ``BeredtAppConfig.initiative_figures()``.

May import: core, accounts, organisations.
"""
