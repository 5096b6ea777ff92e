"""Plausible wrong answers to assignment 9, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py.
"""

REAL = "np.arange(losses.shape[1]) < np.asarray(lengths)[:, None]"
TOKEN_MEAN = "float(np.where(real, losses, 0.0).sum() / real.sum())"
SEQUENCE_MEANS = "np.where(real, losses, 0.0).sum(axis=1) / real.sum(axis=1)"


def means_cell(real=REAL, token_mean=TOKEN_MEAN, sequence_means=SEQUENCE_MEANS):
    """The solution's part 1 cell with one piece changed."""
    return f"""
def masked_token_mean(losses, lengths):
    losses = np.asarray(losses, dtype=np.float64)
    real = {real}
    return {token_mean}


def per_sequence_mean(losses, lengths):
    losses = np.asarray(losses, dtype=np.float64)
    real = {real}
    return {sequence_means}
"""


MASKED = "np.where(np.asarray(mask, dtype=bool)[:, None, :], scores, -np.inf)"
SOFTMAX = """    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = exps / exps.sum(axis=-1, keepdims=True)
"""


def additive_cell(hidden="np.tanh(projected_queries[:, :, None, :] + "
                         "projected_keys[:, None, :, :])",
                  masked=MASKED, softmax=SOFTMAX, result="weights @ keys, weights"):
    """The solution's additive_attention with one piece changed."""
    return f"""
def additive_attention(queries, keys, mask, W_q, W_k, v):
    projected_queries = queries @ W_q
    projected_keys = keys @ W_k
    hidden = {hidden}
    scores = hidden @ v
    scores = {masked}
{softmax}    return {result}
"""


def general_cell(scores="queries @ W @ np.swapaxes(keys, 1, 2)", masked=MASKED,
                 softmax=SOFTMAX):
    """The solution's general_attention with one piece changed."""
    return f"""
def general_attention(queries, keys, mask, W):
    scores = {scores}
    scores = {masked}
{softmax}    return weights @ keys, weights
"""


FINISHED = "finished.append((tokens, total / len(tokens) ** alpha))"
OTHERS = "candidates.append((tokens, total))"
SELECT = """        candidates.sort(key=lambda c: (-c[1], c[0]))
        live = candidates[:beam_width]
"""
LEFT = "finished += [(tokens, logp / max_length**alpha) for tokens, logp in live]"
BEST = "min(finished, key=lambda c: (-c[1], c[0]))"


def beam_cell(steps="max_length", total="logp + float(token_logp)", finished=FINISHED,
              others=OTHERS, select=SELECT, left=LEFT, best=BEST):
    """The solution's beam_search_lengths with one piece changed."""
    return f"""
def beam_search_lengths(step_log_probs, beam_width, max_length, alpha):
    live, finished = [((), 0.0)], []
    for _ in range({steps}):
        candidates = []
        for prefix, logp in live:
            log_probs = np.asarray(step_log_probs(prefix), dtype=np.float64)
            for token, token_logp in enumerate(log_probs):
                tokens, total = (*prefix, token), {total}
                if token == 0:
                    {finished}
                else:
                    {others}
{select}        if not live:
            break
    {left}
    return {best}
"""


WRONG_ANSWERS = {
    # Part 1
    "the batch mean over every position, padding included": (
        "masked_means",
        means_cell(token_mean="float(losses.mean())"),
        ["token_mean"],
    ),
    "the batch mean as the mean of the rows' means": (
        "masked_means",
        means_cell(token_mean="float((np.where(real, losses, 0.0).sum(axis=1)"
                              " / real.sum(axis=1)).mean())"),
        ["token_mean"],
    ),
    "off by one: position t real when t <= lengths[b]": (
        "masked_means",
        means_cell(real="np.arange(losses.shape[1]) <= np.asarray(lengths)[:, None]"),
        ["token_mean", "sequence_means"],
    ),
    "each row's sum divided by T, not by its length": (
        "masked_means",
        means_cell(sequence_means="np.where(real, losses, 0.0).sum(axis=1) / losses.shape[1]"),
        ["sequence_means"],
    ),
    "padding found as the zero losses, lengths ignored": (
        "masked_means",
        means_cell(real="losses != 0"),
        ["token_mean", "sequence_means"],
    ),
    # The rule: no Python loop (here: the mask built row by row, same values).
    "the mask built with a comprehension over the rows": (
        "masked_means",
        means_cell(real="np.array([np.arange(losses.shape[1]) < n for n in lengths])"),
        ["token_mean", "sequence_means"],
    ),
    # Part 2
    "softmax over the queries (axis 1), not over the keys": (
        "additive_attention",
        additive_cell(softmax="""    exps = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = exps / exps.sum(axis=1, keepdims=True)
"""),
        # Masked columns are all -inf along T: nan weights, so a nan context too.
        ["additive_weights", "additive_context", "additive_stable"],
    ),
    "mask not applied: padded keys get weight": (
        "additive_attention",
        additive_cell(masked="scores"),
        ["additive_weights", "additive_stable"],
    ),
    "mask applied after the softmax, weights not renormalised": (
        "additive_attention",
        additive_cell(masked="scores", softmax=SOFTMAX + """\
    weights = weights * np.asarray(mask)[:, None, :]
"""),
        ["additive_weights", "additive_stable"],
    ),
    "unstable softmax: no subtraction of the largest score": (
        "additive_attention",
        additive_cell(softmax="""    exps = np.exp(scores)
    weights = exps / exps.sum(axis=-1, keepdims=True)
"""),
        ["additive_stable"],
    ),
    "largest score taken over the masked keys too": (
        "additive_attention",
        additive_cell(masked="scores", softmax="""\
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    exps = np.where(np.asarray(mask, dtype=bool)[:, None, :], exps, 0.0)
    weights = exps / exps.sum(axis=-1, keepdims=True)
"""),
        ["additive_stable"],
    ),
    "no tanh: v . (q W_q + k W_k)": (
        "additive_attention",
        additive_cell(hidden="projected_queries[:, :, None, :] + projected_keys[:, None, :, :]"),
        ["additive_weights"],
    ),
    "context from the projected keys k W_k": (
        "additive_attention",
        additive_cell(result="weights @ projected_keys, weights"),
        ["additive_context"],
    ),
    "context from the queries, weighted over T": (
        "additive_attention",
        additive_cell(result="np.swapaxes(weights, 1, 2) @ queries, weights"),
        ["additive_context"],
    ),
    "weights and context in float32": (
        "additive_attention",
        additive_cell(result="(weights @ keys).astype(np.float32), weights.astype(np.float32)"),
        ["additive_weights", "additive_context"],
    ),
    # The rule: NumPy only (here: the chapter's TensorFlow softmax).
    "softmax with TensorFlow": (
        "additive_attention",
        "import tensorflow as tf\n" + additive_cell(
            masked="np.where(np.asarray(mask, dtype=bool)[:, None, :], scores, -1e9)",
            softmax="    weights = tf.nn.softmax(scores, axis=-1).numpy()\n"),
        ["additive_weights", "additive_context", "additive_stable"],
    ),
    # Part 3
    "W transposed: q W^T k^T": (
        "general_attention",
        general_cell(scores="queries @ W.T @ np.swapaxes(keys, 1, 2)"),
        ["general_weights"],
    ),
    "scores scaled by 1 / sqrt(dk), as in a Transformer": (
        "general_attention",
        general_cell(scores="queries @ W @ np.swapaxes(keys, 1, 2) / np.sqrt(keys.shape[-1])"),
        ["general_weights"],
    ),
    "general: mask not applied": (
        "general_attention",
        general_cell(masked="scores"),
        ["general_softmax"],
    ),
    "general: unstable softmax": (
        "general_attention",
        general_cell(softmax="""    exps = np.exp(scores)
    weights = exps / exps.sum(axis=-1, keepdims=True)
"""),
        ["general_softmax"],
    ),
    # Part 4. beam_exhaustive compares the whole search with brute_force_best at several
    # alphas, so a mistake in scoring or in max_length fails it too.
    "no length normalisation: alpha ignored": (
        "beam_search_lengths",
        beam_cell(finished="finished.append((tokens, total))",
                  left="finished += live"),
        ["beam_lengths", "beam_exhaustive"],
    ),
    "length without the end symbol": (
        "beam_search_lengths",
        beam_cell(total="logp + token_logp",
                  finished="finished.append((tokens, total / len(prefix) ** alpha))"),
        ["beam_lengths", "beam_exhaustive"],
    ),
    "finished hypotheses kept in the beam and extended past the end": (
        "beam_search_lengths",
        beam_cell(finished=FINISHED + "\n                    " + OTHERS,
                  left="finished += [(tokens, logp / max_length**alpha) "
                       "for tokens, logp in live if 0 not in tokens]"),
        ["beam_lengths", "beam_exhaustive", "beam_calls_ties"],
    ),
    "the beam_width best of all candidates: a finished one takes a place": (
        "beam_search_lengths",
        beam_cell(finished=OTHERS, select="""        candidates.sort(key=lambda c: (-c[1], c[0]))
        top = candidates[:beam_width]
        finished += [(t, s / len(t) ** alpha) for t, s in top if t[-1] == 0]
        live = [(t, s) for t, s in top if t[-1] != 0]
"""),
        ["beam_pruning"],
    ),
    "finished only when among the beam_width best (the chapter's batched rule)": (
        "beam_search_lengths",
        beam_cell(finished=OTHERS, select="""        candidates.sort(key=lambda c: (-c[1], c[0]))
        finished += [(t, s / len(t) ** alpha) for t, s in candidates[:beam_width]
                     if t[-1] == 0]
        live = [(t, s) for t, s in candidates if t[-1] != 0][:beam_width]
"""),
        ["beam_pruning"],
    ),
    "the beam_width best continuations of each hypothesis, all kept": (
        "beam_search_lengths",
        beam_cell(others="candidates.append((tokens, total, prefix))", select="""        kept = []
        for prefix in dict.fromkeys(c[2] for c in candidates):
            own = sorted((c for c in candidates if c[2] == prefix),
                         key=lambda c: (-c[1], c[0]))
            kept += [(t, s) for t, s, _ in own[:beam_width]]
        live = kept
"""),
        ["beam_pruning"],
    ),
    "live hypotheses left at max_length not considered": (
        "beam_search_lengths",
        beam_cell(left="pass"),
        ["beam_lengths", "beam_exhaustive"],
    ),
    "live hypotheses at max_length scored as if they ended (max_length + 1)": (
        "beam_search_lengths",
        beam_cell(left="finished += [(tokens, logp / (max_length + 1) ** alpha) "
                       "for tokens, logp in live]"),
        ["beam_lengths", "beam_exhaustive"],
    ),
    "one step too many: hypotheses of max_length + 1 tokens": (
        "beam_search_lengths",
        beam_cell(steps="max_length + 1",
                  left="finished += [(tokens, logp / len(tokens) ** alpha) "
                       "for tokens, logp in live]"),
        ["beam_lengths", "beam_exhaustive", "beam_calls_ties"],
    ),
    "ties broken towards the larger tuple": (
        "beam_search_lengths",
        beam_cell(select="""        candidates.sort(key=lambda c: (c[1], c[0]), reverse=True)
        live = candidates[:beam_width]
""", best="max(finished, key=lambda c: (c[1], c[0]))"),
        ["beam_calls_ties"],
    ),
    # The rule: brute_force_best is for checking, not for answering.
    "the answer from brute_force_best": (
        "beam_search_lengths",
        """
def beam_search_lengths(step_log_probs, beam_width, max_length, alpha):
    return brute_force_best(step_log_probs, max_length, alpha)
""",
        ["beam_pruning", "beam_lengths", "beam_exhaustive", "beam_calls_ties"],
    ),
}
