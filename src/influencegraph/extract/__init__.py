"""Evidence from documents: read them, find mentions, propose entities and claims.

``readers`` turns files into located text, ``mentions`` finds the graph's entities in it,
``proposals`` suggests new entities, ``claims`` joins mentions with the ontology's cue
lexicon, and ``review`` writes the review file that ``import`` takes. Nothing here writes
the graph.
"""
