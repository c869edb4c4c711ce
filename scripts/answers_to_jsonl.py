"""Join hand-answered prompt blocks with their exported prompt lines for `synthclin prompts import`.

    python scripts/answers_to_jsonl.py EXPORTED.jsonl ANSWERS.txt OUT.jsonl --answered-by MODEL

ANSWERS.txt holds one block per prompt: a line `=== KEY <sha256>` then the answer text,
verbatim (leading/trailing blank lines trimmed). Nothing is generated here: this only
pairs each written answer with its prompt record and names the model that wrote it.
"""
import argparse
import json
import re
import sys

parser = argparse.ArgumentParser()
parser.add_argument("exported")
parser.add_argument("answers")
parser.add_argument("out")
parser.add_argument("--answered-by", required=True)
args = parser.parse_args()

records = {}
with open(args.exported, encoding="utf8") as fh:
    for line in fh:
        if line.strip():
            rec = json.loads(line)
            records[rec["key"]] = rec
blocks, key, buf = {}, None, []
with open(args.answers, encoding="utf8") as fh:
    for number, line in enumerate(fh, 1):
        m = re.match(r"^=== KEY ([0-9a-f]{64})\s*$", line)
        if m:
            if key:
                blocks[key] = "".join(buf).strip("\n")
            key, buf = m.group(1), []
            if key in blocks:
                sys.exit(f"{args.answers}:{number}: key {key} answered twice")
        elif key is None and line.strip():
            sys.exit(f"{args.answers}:{number}: text before the first '=== KEY' line")
        else:
            buf.append(line)
if key:
    blocks[key] = "".join(buf).strip("\n")
unknown = sorted(set(blocks) - set(records))
if unknown:
    sys.exit(f"{args.answers}: {len(unknown)} keys not in {args.exported}, e.g. {unknown[0]}")
with open(args.out, "w", encoding="utf8") as out:
    for k, answer in blocks.items():
        out.write(json.dumps({**records[k], "response": answer, "answered_by": args.answered_by}) + "\n")
print(json.dumps({"answers": len(blocks), "prompts": len(records), "unanswered": len(set(records) - set(blocks))}))
