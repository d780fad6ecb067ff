import cProfile, pstats, time, io
import pytest
from samverkan.bench import generator
from samverkan.core.bench import BenchContext, bench_collaborations
from samverkan.meetings import bench_scenarios
from samverkan.actions import bench_followup
from samverkan.reports import bench_scenarios as rb


@pytest.mark.django_db
def test_prof():
    generator.generate(generator.SMALL)
    ctx = BenchContext.create(bench_collaborations().order_by("pk").first())
    ctx.extra["plan_size"] = bench_followup.NATIONAL_SIZE
    for name, fn in (("pdf", rb.evaluation_pdf), ("docx", rb.evaluation_docx)):
        r = fn(ctx)  # warm
        assert r.status_code == 200, r.status_code
        for _ in range(3):
            t = time.process_time(); w = time.perf_counter()
            r = fn(ctx)
            print(name, "cpu", round(time.process_time() - t, 3), "wall", round(time.perf_counter() - w, 3), len(r.content))
    pr = cProfile.Profile(); pr.enable()
    r = rb.evaluation_pdf(ctx)
    pr.disable()
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(30)
    open("/tmp/prof/evalpdf.txt", "w").write(s.getvalue())
