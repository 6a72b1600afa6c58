"""The same plan on Dask: each buyer partition (run._partitions) is one task running
run.screen_partition, i.e. the compiled rule pack of assess/screen/compile.py on the claims of
that partition.  Locally it runs on Dask's process pool; on a cluster, the same graph runs on
dask.distributed workers (`dask.config.set(scheduler=client)` before the call), which need the
partition files on a shared file system.  Why Dask and not PySpark or Ray: docs/screening.md.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path


def _task(part: str, as_of: date, base):
    from .law import LawTable
    from .run import compiled, screen_partition

    lib, pack, plan = compiled(base)
    return screen_partition(Path(part), as_of, lib, pack, plan, LawTable(lib, pack, as_of))


def run_partitions(parts: list[Path], as_of: date, base=None, scheduler: str | None = None):
    """The results of run.screen_partition for every partition, computed by Dask."""
    import dask

    tasks = [dask.delayed(_task)(str(p), as_of, base) for p in parts]
    scheduler = scheduler or dask.config.get("scheduler", None) or "processes"
    return list(dask.compute(*tasks, scheduler=scheduler))
