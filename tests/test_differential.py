"""durable-rules and the plain evaluator agree on every rule and derived fact."""
import random

from assess.assessment import engine_for, load
from assess.evaluator import BIG, run

from casegen import random_as_of, random_case


def random_facts(pack, rng):
    """Random values for every case fact (including intervals and unknowns)."""
    points = [0, 1, 13, 14, 15, 16, 17, 18, 70, 75, 2999, 3000, 5000, 6000, 10000, 60000,
              100000, 500000]
    facts = {}
    for fid, fact in pack.facts.items():
        if fact.origin != "case":
            continue
        if fact.type == "yesno":
            facts[fid] = rng.choice(["yes", "no", "unknown"])
        elif fact.type == "choice":
            if rng.random() < 0.2:
                facts[fid] = {v: "unknown" for v in fact.values}
            else:
                pick = rng.choice(fact.values)
                facts[fid] = {v: "yes" if v == pick else "no" for v in fact.values}
        else:
            a, b = sorted((rng.choice(points), rng.choice(points)))
            facts[fid] = rng.choice([(float(a), float(a)), (float(a), float(b)),
                                     (-BIG, BIG), (float(a), BIG)])
    # the amount standards of a real table always rise: 数额较大 < 数额巨大 < 数额特别巨大
    bands = [f for f in ("threshold_large", "threshold_huge", "threshold_especially_huge")
             if f in facts]
    if rng.random() < 0.8:
        base = float(rng.choice([3000, 5000, 6000, 10000]))
        for k, f in enumerate(bands):
            facts[f] = (base * 10 ** k, base * 10 ** k)
    else:
        lo = sorted(rng.choice(points) for _ in bands)
        for k, f in enumerate(bands):
            facts[f] = (float(lo[k]) + k, BIG)          # unknown standard: only a floor
    return facts


def test_engines_agree_on_1500_random_fact_sets():
    lib, pack = load()
    rng = random.Random(20261124)
    durable, plain = engine_for(pack, "durable"), engine_for(pack, "plain")
    params = {}
    for ref in pack.params:
        for on in ("conduct", "decision"):
            params[f"{ref}@{on}"] = (float(rng.choice([6, 12, 14, 16, 18, 70, 75])),) * 2
    disagreements = []
    for i in range(1500):
        facts = random_facts(pack, rng)
        a = run(pack, durable, facts, params)
        b = run(pack, plain, facts, params)
        if a.fired != b.fired or a.facts != b.facts:
            diff = {k for k in set(a.fired) | set(b.fired) if a.fired.get(k) != b.fired.get(k)}
            disagreements.append((i, sorted(diff)))
    assert not disagreements, disagreements[:5]


def test_engines_agree_on_300_random_cases():
    from assess.assessment import evaluate_case
    from assess.case import parse_case

    rng = random.Random(7)
    for _ in range(300):
        data = random_case(rng)
        as_of = random_as_of(rng, data)
        case = parse_case(data, as_of=as_of)
        a = evaluate_case(case, as_of=as_of, engine="durable", explain=False)
        b = evaluate_case(case, as_of=as_of, engine="plain", explain=False)
        for r in (a, b):
            r.pop("tool")
        assert a == b, data
