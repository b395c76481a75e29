"""How the SPARQL engine saves work on a long register, and that it changes no finding and no
decision.

Each constraint is evaluated once per distinct combination of the case properties its query
reads (cases/readset.py, cases/projection.py), and cases that agree on everything their
measure's rules read share one decision. These tests pin what "reads" means — a rule that
looks at other cases must see every case — and compare both savings with the plain way:
pyshacl over the whole register, and every case decided on its own."""

from __future__ import annotations

import random

import pytest

from rongcuo_kg.cases.readset import query_reads
from rongcuo_kg.cases.records import CASE_CLASSES, CASE_PREDICATES, FACTS, CaseRecord
from rongcuo_kg.cases.validate import Validator
from rongcuo_kg.graph.connect import open_store
from rongcuo_kg.paths import DEFAULT_DATA_DIR

RC = "https://w3id.org/rongcuo-kg/ontology#"
RCF = "https://w3id.org/rongcuo-kg/fact/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = (f"PREFIX rc: <{RC}>\nPREFIX rcf: <{RCF}>\n"
            "PREFIX rcc: <https://w3id.org/rongcuo-kg/concept/>\n"
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")


def reads(where: str):
    return query_reads(PREFIXES + f"SELECT ?this ?value WHERE {{ {where} }}", CASE_PREDICATES, CASE_CLASSES)


def test_a_condition_on_the_cases_own_fact_reads_that_fact_and_the_target():
    r = reads("?this a rc:ToleranceMatter ; rc:underMeasure ?m . "
              "FILTER NOT EXISTS { ?this rcf:not_prohibited true }")
    assert r.local
    assert r.predicates == {TYPE, RC + "underMeasure", RCF + "not_prohibited"}


def test_looking_up_what_a_situation_is_does_not_reach_other_cases():
    r = reads("?this rc:inSituation ?value . FILTER NOT EXISTS { ?value a rc:Situation }")
    assert r.local and r.predicates == {RC + "inSituation", TYPE}


def test_a_case_id_unique_in_the_register_reads_every_case():
    r = reads("?this rc:caseId ?value . ?other rc:caseId ?value . FILTER(?other != ?this)")
    assert not r.local and r.predicates == {RC + "caseId"}


@pytest.mark.parametrize("where", [
    "?this rc:subject ?s . ?other a rc:ToleranceMatter ; rc:subject ?s",  # other cases by their class
    "?this ^rc:subject/rc:subject ?value",  # a path walked backwards
    "?value rc:issueKey ?k . ?this rc:issueKey ?k",  # a case property of another node
])
def test_a_rule_that_can_see_other_cases_is_evaluated_on_every_case(where):
    assert not reads(where).local


def test_a_variable_predicate_reads_every_property():
    r = reads("?this ?p ?value")
    assert r.predicates is None and r.local


def synthetic(n: int, seed: int) -> list[CaseRecord]:
    """A register as review staff keep one: three measures, one or two situations, facts mostly
    true, some false or empty, subjects and issues that repeat (the once-only rule applies), a
    few broken rows."""
    rnd = random.Random(seed)
    situations = {"audit": ["exploratory_trial", "emergency", "mixed_ownership", "other"],
                  "guian": ["implementing_decisions", "emergency", "self_correction", "other"],
                  "enforcement": ["emergency", "counterparty_deception", "force_majeure", "other"]}
    out = []
    for i in range(n):
        measure = rnd.choice(sorted(situations))
        facts = {}
        for f in FACTS:
            r = rnd.random()
            if r < 0.9:
                facts[f] = "true"
            elif r < 0.96:
                facts[f] = "false"
            elif r < 0.965:
                facts[f] = "maybe"  # ill-typed: the record is invalid
        out.append(CaseRecord(
            source="synthetic.csv", row=i + 2, iri=f"https://w3id.org/rongcuo-kg/case/synthetic/row-{i + 2}",
            case_id=f"S{i:04d}" if rnd.random() > 0.01 else "S0000", measure=measure,
            subject=f"单位{rnd.randrange(n // 5)}", date=f"2023-0{rnd.randrange(1, 10)}-1{rnd.randrange(10)}",
            situations=rnd.sample(situations[measure], k=rnd.choice([1, 1, 2])),
            issue_key=f"issue-{rnd.randrange(n // 5)}", facts=facts))
    return out


@pytest.fixture(scope="module")
def validator():
    """Projections from the first case (by default a register this short is one graph)."""
    return Validator(open_store(), DEFAULT_DATA_DIR, project_from=1)


def test_findings_per_combination_are_those_of_the_whole_register_in_pyshacl(validator):
    records = synthetic(150, seed=3)
    fast, fast_targets = validator._findings(records, "sparql")
    ref, ref_targets = validator._findings(records, "pyshacl")
    whole, whole_targets = Validator(validator.store, project_from=10**9)._findings(records, "sparql")
    ill_typed = {f.focus for f in fast if f.component == "DatatypeConstraintComponent"}

    def key(f):  # rdflib reads "maybe"^^xsd:boolean as false, Oxigraph as no value
        return (f.focus, f.constraint, f.component, None if f.focus in ill_typed else f.value, f.path)

    assert len(fast) > 50  # the register breaks rules, or the comparison says nothing
    assert sorted(map(key, fast)) == sorted(map(key, whole)) and fast_targets == whole_targets
    assert sorted(map(key, fast)) == sorted(map(key, ref))
    assert fast_targets == ref_targets


def test_cases_of_one_kind_get_the_decision_each_gets_on_its_own(validator):
    records = synthetic(1500, seed=5)
    shared = validator.validate(records)
    alone = validator.validate(records, share=False)
    assert len({c.shared for c in shared if c.shared is not None}) < len(records) / 2  # cases did share
    assert {c.outcome for c in shared} >= {"exemption", "not_tolerable", "undetermined", "invalid"}
    assert any(v.rule.endswith("/once") for c in shared for v in c.violations)  # once-only reached some
    assert [c.json_bytes() for c in shared] == [c.json_bytes() for c in alone]
