"""examples/notebook.ipynb runs top to bottom in a fresh kernel and is stored without outputs."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebook.ipynb"


def _text(cell: Any) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "".join(parts)


def test_the_stored_notebook_has_no_outputs() -> None:
    notebook = json.loads(NOTEBOOK.read_text())

    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] for cell in code)
    assert all(cell["execution_count"] is None for cell in code)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_the_notebook_runs_clean_in_a_fresh_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    # jupyter_core 5 can warn (DeprecationWarning) that its paths move to platformdirs unless
    # opted in; opting in keeps filterwarnings=error from failing on a message about paths.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    import nbformat
    from nbclient import NotebookClient

    # nbformat is unannotated: name the two functions used with their types.
    reads = cast(Callable[..., Any], nbformat.reads)
    from_dict = cast(Callable[[object], Any], nbformat.from_dict)
    notebook = reads(NOTEBOOK.read_text(), as_version=4)
    # One cell more, to prove the kernel is this virtualenv's Python, not some other one.
    source = "import sys; print(sys.prefix)"
    cell = {"cell_type": "code", "metadata": {}, "source": source, "outputs": []}
    notebook.cells.append(from_dict({**cell, "execution_count": None}))

    NotebookClient(notebook, kernel_name="python3", timeout=60).execute()

    outputs = [_text(cell) for cell in notebook.cells if cell.cell_type == "code"]
    everything = "\n".join(outputs)
    assert outputs[-1].strip() == sys.prefix
    assert "http://127.0.0.1:" in outputs[0]
    assert "AppointmentMessage(" in outputs[1]
    assert " NB-1" in outputs[2]  # the appointment created on the async client, walked to
    assert outputs[3].startswith("Appointment(\n    id=")  # the readable, multi-line form
    assert "features_call_recording_enable" not in outputs[3]
    assert "1 line of repr;" in outputs[4]
    assert "ValueError: appointment_id must be a UUID" in everything
    assert "NotFoundError 404" in everything
    assert "OutcomeUnknownError:" in everything
    assert "messages the fake accepted: 1" in everything
