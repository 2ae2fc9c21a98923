"""doc-claims: each factual claim of the seed texts about a framework, checked
against that framework (``applies_to``)."""


def run(fw, rec):
    for claim in rec.wanted:
        rec.call(claim, lambda claim=claim: fw.doc_probe(claim))
