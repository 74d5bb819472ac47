"""Conversational preference rows, the shape TRL and OpenRLHF both read.

Implicit prompt (the default): ``chosen`` and ``rejected`` are whole conversations, the
user's prompt followed by one assistant answer, which every TRL trainer and OpenRLHF
(without ``--data.prompt_key``) accept. Explicit prompt (``--explicit-prompt``): a
separate ``prompt`` conversation and single-message ``chosen``/``rejected``, which DPO
prefers. The response code is the assistant's message as it was written, unchanged.
``margin`` (from the preference strength) is on every row; ``id`` traces a row back to
its pair.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from coderlhf_tui.export.base import ExportContext
from coderlhf_tui.export.pairwise import Comparisons

MESSAGE_TYPE = pa.struct([pa.field("role", pa.string()), pa.field("content", pa.string())])


def conversations(turns: list[tuple[str, pa.Array]]) -> pa.Array:
    """One conversation per row: the given (role, contents) turns, in order."""
    n = len(turns[0][1])
    k = len(turns)
    contents = pa.concat_arrays([column for _, column in turns])
    order = (np.arange(k)[None, :] * n + np.arange(n)[:, None]).ravel()  # row-major turns
    roles = pa.array(np.repeat([[role for role, _ in turns]], n, axis=0).ravel(), pa.string())
    messages = pa.StructArray.from_arrays(
        [roles, contents.take(pa.array(order))], fields=list(MESSAGE_TYPE)
    )
    offsets = pa.array(np.arange(0, n * k + 1, k, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, messages)


def conversation_rows(batch: Comparisons, context: ExportContext) -> pa.Table:
    """Preference rows, implicit or explicit prompt as the context says."""
    user = ("user", batch.prompt)
    if context.explicit_prompt:
        columns = {
            "prompt": conversations([user]),
            "chosen": conversations([("assistant", batch.chosen)]),
            "rejected": conversations([("assistant", batch.rejected)]),
        }
    else:
        columns = {
            "chosen": conversations([user, ("assistant", batch.chosen)]),
            "rejected": conversations([user, ("assistant", batch.rejected)]),
        }
    return pa.table({**columns, "margin": batch.margin, "id": batch.id})
