"""Style matching against a keyword baseline on questionnaires written apart from the
catalogue (`data/questionnaires_heldout.json`: answers in four languages, with the styles a
stylist would pick). Metric: the share whose top three holds one of those styles. Nothing is
fitted, so `business` and `now` only say which salon asked (the catalogue is the platform's)."""

from solibook.core.evaluation import Evaluation
from solibook.styleadvisor.catalogue import heldout_questionnaires, styles
from solibook.styleadvisor.matching import Answers, keyword_match, match

FIELDS = ("face", "hair_type", "length", "tone", "occasion", "wishes")


def evaluate(*, business, now) -> list[Evaluation]:
    questionnaires = heldout_questionnaires()
    hits: dict[str, list[bool]] = {"model": [], "baseline": []}
    per_language: dict[str, dict[str, list[bool]]] = {}
    for q in questionnaires:
        answers = Answers(**{k: q.get(k, "") for k in FIELDS})
        expected = set(q["expected"])
        model = expected & {m.style.id for m in match(answers, limit=3)}
        baseline = expected & {m.style.id for m in keyword_match(answers, limit=3)}
        hits["model"].append(bool(model))
        hits["baseline"].append(bool(baseline))
        lang = per_language.setdefault(q["lang"], {"model": [], "baseline": []})
        lang["model"].append(bool(model))
        lang["baseline"].append(bool(baseline))
    n = len(questionnaires)
    return [
        Evaluation(
            area="styleadvisor",
            name="style matching (questionnaire → styles)",
            metric="hit@3",
            model=round(sum(hits["model"]) / n, 3),
            baseline=round(sum(hits["baseline"]) / n, 3),
            baseline_name="answers + keywords of the wishes",
            higher_is_better=True,
            train_size=len(styles()),
            test_size=n,
            details={
                lang: {
                    "model": round(sum(v["model"]) / len(v["model"]), 3),
                    "baseline": round(sum(v["baseline"]) / len(v["baseline"]), 3),
                    "questionnaires": len(v["model"]),
                }
                for lang, v in sorted(per_language.items())
            },
        )
    ]
