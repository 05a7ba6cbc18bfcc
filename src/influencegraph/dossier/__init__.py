"""An impact dossier for an organisation, person, group or project, built from the graph.

Funders and assessors (REF impact case studies, Researchfish) ask for claimed impact with
corroborating sources. A dossier gathers, for one entity:

* its outputs by year (works it published or created, their parts, and the works of the
  groups it runs the secretariat of or chairs);
* the people and groups around it (memberships and posts, chairs, secretariat, funders,
  partners, inferred joins);
* every influence claim on or from its work, with the quote, the source, the claimant,
  the evidence type and the corroboration status (see :mod:`influencegraph.corroboration`);
* the influence paths from its work into policy (to strategies);
* a short list of what to corroborate next.

Every fact comes from a query shipped in ``influencegraph/queries/`` (``dossier-scope``,
``dossier-people``, ``dossier-claims``, ``corroboration``, ``evidence-types``), run with
the entity bound through ``Source.select``; labels and types come from the name index.
Where the sources state no outcome (the British Academy's project page describes the
project, its reports and its working group only), the dossier says so.

Build, then write: :func:`build_dossier` (:mod:`.gather`) returns a :class:`Dossier`
(:mod:`.model`), :func:`render` (:mod:`.document`) turns it into Markdown, HTML or JSON,
and :func:`files.write_atomically` writes a file through a temporary file and a rename, so
a reader never sees half a dossier.

Example:
    >>> from influencegraph.graph import open_source
    >>> d = build_dossier(open_source(), "The Challenge")
    >>> d.entity.label, d.outcome_stated
    ('The Challenge', True)
    >>> render(d, "md").splitlines()[0]
    '# Impact dossier: The Challenge'
"""

from .document import dossier_text, format_for, render
from .gather import build_dossier
from .model import (
    DATED_TYPES,
    FORMATS,
    POLICY_TYPES,
    SUBJECT_TYPES,
    WORK_TYPES,
    ClaimEntry,
    Dossier,
    Neighbour,
    NextStep,
    Output,
    PathStep,
    PolicyPath,
    claim_sentence,
)

__all__ = [
    "DATED_TYPES",
    "FORMATS",
    "POLICY_TYPES",
    "SUBJECT_TYPES",
    "WORK_TYPES",
    "ClaimEntry",
    "Dossier",
    "Neighbour",
    "NextStep",
    "Output",
    "PathStep",
    "PolicyPath",
    "build_dossier",
    "claim_sentence",
    "dossier_text",
    "format_for",
    "render",
]
