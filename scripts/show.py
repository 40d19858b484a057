#!/usr/bin/env python3
"""Show what `conflictdb extract` says about articles next to their gold:
python3 scripts/show.py eval/gold/NAME.gold.json [...] (a development aid)."""
import json, subprocess, sys, os
BIN = os.environ.get("BIN", "target/release/conflictdb")
for g in sys.argv[1:]:
    gold = json.load(open(g))
    inp = os.path.join(os.path.dirname(g), gold["input"])
    x = json.loads(subprocess.run([BIN, "extract", inp], capture_output=True, text=True).stdout.splitlines()[0])
    L = {l["id"]: l["name"] for l in x["locations"]}
    G = {l["id"]: l["name"] for l in x["groups"]}
    S = {l["id"]: l["name"] for l in x["sources"]}
    print(f"=== {gold['input']}  published={x['article']['published']} ref={x['article']['reference_date']}")
    print("  places:", [l["name"] for l in x["locations"]])
    print("  groups:", [f"{g['name']}|{g['canonical']}" for g in x["groups"]])
    print("  sources:", [s["name"] for s in x["sources"]])
    for e in x["events"]:
        print(f"  E {e['id']} {e['type']}/{e['sub_type']} {e['date']} @{L.get(e['location'])} killed={e['fatalities']['best']} wounded={e['wounded']['best']}")
    for ge in gold["events"]:
        print(f"  gold E {ge['type']}/{ge.get('sub_type')} {ge.get('date')} @{ge['locations'][:2]}")
    text = None
    for c in x["casualties"]:
        print(f"  C {c['kind']} {c['count']} {c['qualifier']} {c['category']} {c['victims']} ev={c['event']} src={S.get(c['source'])} dup={c.get('duplicate_of')} part={c.get('part_of')}")
    for c in gold["casualties"]:
        print(f"  gold C {c['kind']} {c['count']} {c.get('category')} -- {c.get('note','')[:70]}")
