"""The Dask cluster that executes the notebooks: an existing one, or local worker processes."""

import logging
import os
from concurrent.futures import ThreadPoolExecutor


class Workers:
    """A Dask client: of the cluster at ``scheduler``, else of a local one with ``jobs`` worker
    processes (default: one per core). It connects in the background, so the first submissions
    are prepared meanwhile.

    Local workers are forked from a *forkserver* that has imported ``preload`` (Dask, nbgrader,
    the configured execution steps and kernel manager) once: each worker then starts in a
    fraction of a second instead of importing it all again (measured here: 2 workers ready in
    6-8 s instead of 17-18 s on a loaded 2-core machine).
    """

    def __init__(self, jobs=None, scheduler=None, preload=()):
        self._pool = ThreadPoolExecutor(1)
        self._connected = self._pool.submit(self._connect, jobs, scheduler, list(preload))

    @staticmethod
    def _connect(jobs, scheduler, preload):
        import dask

        if scheduler:
            from dask.distributed import Client
            return None, Client(scheduler, timeout="30s")
        dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"})
        from dask.distributed import Client, LocalCluster
        from distributed.utils import get_mp_context

        get_mp_context().set_forkserver_preload(["distributed", *preload])
        cluster = LocalCluster(n_workers=jobs or os.cpu_count(), threads_per_worker=1,
                               processes=True, dashboard_address=":0", memory_limit=0,
                               silence_logs=logging.ERROR)
        return cluster, Client(cluster)

    @property
    def ready(self):
        return self._connected.done()

    @property
    def client(self):
        return self._connected.result()[1]

    def close(self):
        try:
            cluster, client = self._connected.result()
        except Exception:  # noqa: BLE001: it never connected; the error was reported already
            return
        finally:
            self._pool.shutdown()
        client.close()
        if cluster is not None:
            cluster.close()
