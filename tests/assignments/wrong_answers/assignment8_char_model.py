"""Plausible wrong answers to assignment 8, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py.
"""

BIGRAM_HEADER = "\ndef interpolated_bigram_loss(train, val, lam, vocab_size):\n"
UNITS_HEADER = "\ndef perplexity_and_bits(window_losses, window_lengths):\n"
GENERATE_HEADER = "\ndef generate(step, state, prime_ids, length, temperature, rng):\n"


def bigram_body(contexts="pairs.sum(axis=1)", first="train[-1]",
                unigram="(unigram[c] + 1) / (len(train) + vocab_size)",
                mix="lam * pairs[previous, c] / contexts[previous] + (1 - lam) * p",
                log="np.log(p)", pairs_from="zip(train[:-1], train[1:])",
                followed="contexts[previous] > 0"):
    """The solution's interpolated_bigram_loss with one piece changed."""
    return BIGRAM_HEADER + f"""    train = [int(c) for c in train]
    val = [int(c) for c in val]
    unigram = np.bincount(train, minlength=vocab_size)
    pairs = np.zeros((vocab_size, vocab_size))
    for b, c in {pairs_from}:
        pairs[b, c] += 1
    contexts = {contexts}
    total = 0.0
    previous = {first}
    for c in val:
        p = {unigram}
        if {followed}:
            p = {mix}
        total -= {log}
        previous = c
    return float(total / len(val))
"""


def temperature_cell(scaled="np.asarray(logits, dtype=np.float64) / temperature",
                     stable="scaled - scaled.max()", check=True,
                     draw="int(rng.choice(len(p), p=p))"):
    """The solution's part 3 cell with one piece changed."""
    guard = """    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
""" if check else ""
    return f"""
def temperature_probabilities(logits, temperature):
{guard}    scaled = {scaled}
    p = np.exp({stable})
    return p / p.sum()


def sample_next(logits, temperature, rng):
    p = temperature_probabilities(logits, temperature)
    return {draw}
"""


def generate_body(prime="""    for char_id in prime_ids:
        logits, state = step(char_id, state)
""", feed="""        if k < length - 1:
            logits, state = step(sampled[-1], state)
""", result="sampled"):
    """The solution's generate with the prime loop, the feeding or the result changed."""
    return GENERATE_HEADER + prime + """    sampled = []
    for k in range(length):
        sampled.append(sample_next(logits, temperature, rng))
""" + feed + f"    return {result}\n"


WRONG_ANSWERS = {
    # Part 1
    "N(b) counts the last training character too": (
        "interpolated_bigram_loss",
        bigram_body(contexts="np.bincount(train, minlength=vocab_size)"),
        ["bigram_small", "bigram_contexts"],
    ),
    "first validation character without the training text before it": (
        "interpolated_bigram_loss",
        bigram_body(first="val[0]"),
        ["bigram_small", "bigram_contexts"],
    ),
    "unigram not smoothed": (
        "interpolated_bigram_loss",
        bigram_body(unigram="unigram[c] / len(train)"),
        ["bigram_small", "bigram_contexts"],
    ),
    "lambda on the unigram instead of the bigram": (
        "interpolated_bigram_loss",
        bigram_body(mix="(1 - lam) * pairs[previous, c] / contexts[previous] + lam * p"),
        ["bigram_small", "bigram_contexts"],
    ),
    "a context never followed mixed with a zero bigram": (
        "interpolated_bigram_loss",
        bigram_body(followed="True", mix="lam * pairs[previous, c] / max(contexts[previous], 1)"
                    " + (1 - lam) * p"),
        ["bigram_contexts"],
    ),
    "bits instead of nats": (
        "interpolated_bigram_loss",
        bigram_body(log="np.log2(p)"),
        ["bigram_small", "bigram_contexts"],
    ),
    "pairs counted the wrong way round (c before b)": (
        "interpolated_bigram_loss",
        bigram_body(pairs_from="zip(train[1:], train[:-1])"),
        ["bigram_small", "bigram_contexts"],
    ),
    # Part 2
    "every window weighted alike": (
        "perplexity_and_bits",
        UNITS_HEADER + """    mean = float(np.mean(window_losses))
    return float(np.exp(mean)), mean / float(np.log(2))
""",
        ["units_weighted"],
    ),
    "mean of the windows' perplexities": (
        "perplexity_and_bits",
        UNITS_HEADER + """    losses = np.asarray(window_losses, dtype=float)
    lengths = np.asarray(window_lengths, dtype=float)
    mean = float((losses * lengths).sum() / lengths.sum())
    perplexity = float((np.exp(losses) * lengths).sum() / lengths.sum())
    return perplexity, mean / float(np.log(2))
""",
        ["units_weighted"],
    ),
    "bits multiplied by ln 2": (
        "perplexity_and_bits",
        UNITS_HEADER + """    losses = np.asarray(window_losses, dtype=float)
    lengths = np.asarray(window_lengths, dtype=float)
    mean = float((losses * lengths).sum() / lengths.sum())
    return float(np.exp(mean)), mean * float(np.log(2))
""",
        ["units_equal_windows", "units_weighted"],
    ),
    "perplexity in base 2": (
        "perplexity_and_bits",
        UNITS_HEADER + """    losses = np.asarray(window_losses, dtype=float)
    lengths = np.asarray(window_lengths, dtype=float)
    mean = float((losses * lengths).sum() / lengths.sum())
    return float(2**mean), mean / float(np.log(2))
""",
        ["units_equal_windows", "units_weighted"],
    ),
    # Part 3
    "logits multiplied by the temperature": (
        "temperature",
        temperature_cell(scaled="np.asarray(logits, dtype=np.float64) * temperature"),
        ["temperature_values", "sample_draws"],
    ),
    "no subtraction of the largest logit": (
        "temperature",
        temperature_cell(stable="scaled"),
        ["temperature_values"],
    ),
    "no check of the temperature": (
        "temperature",
        temperature_cell(check=False),
        ["temperature_values"],
    ),
    "the likeliest character instead of a draw": (
        "temperature",
        temperature_cell(draw="int(np.argmax(p))"),
        ["sample_draws"],
    ),
    "a draw from NumPy's global generator": (
        "temperature",
        temperature_cell(draw="int(np.random.choice(len(p), p=p))"),
        ["sample_draws"],
    ),
    "a draw from the untempered logits": (
        "temperature",
        temperature_cell(draw="int(rng.choice(len(p), p=temperature_probabilities("
                              "logits, 1.0)))"),
        ["sample_draws"],
    ),
    # Part 4
    "state not carried: every call gets the initial state": (
        "generate",
        generate_body(prime="""    initial = state
    for char_id in prime_ids:
        logits, state = step(char_id, initial)
""", feed="""        if k < length - 1:
            logits, state = step(sampled[-1], initial)
"""),
        ["generate_calls", "generate_values"],
    ),
    "state reset after the prime": (
        "generate",
        generate_body(prime="""    initial = state
    for char_id in prime_ids:
        logits, state = step(char_id, state)
    state = initial
"""),
        ["generate_calls", "generate_values"],
    ),
    "off by one: the first draw from the logits of the first prime character": (
        "generate",
        generate_body(prime="""    logits, state = step(prime_ids[0], state)
    first_logits = logits
    for char_id in prime_ids[1:]:
        logits, state = step(char_id, state)
    logits = first_logits
"""),
        ["generate_values"],
    ),
    "the prime returned with the drawn ids": (
        "generate",
        generate_body(result="list(prime_ids) + sampled"),
        ["generate_calls", "generate_values"],
    ),
    "the last drawn character read too": (
        "generate",
        generate_body(feed="""        logits, state = step(sampled[-1], state)
"""),
        ["generate_calls"],
    ),
    # The rule: draws through sample_next (here: its own draw, same distribution).
    "generate drawing without sample_next": (
        "generate",
        GENERATE_HEADER + """    for char_id in prime_ids:
        logits, state = step(char_id, state)
    sampled = []
    for k in range(length):
        p = temperature_probabilities(logits, temperature)
        sampled.append(int(rng.choice(len(p), p=p)))
        if k < length - 1:
            logits, state = step(sampled[-1], state)
    return sampled
""",
        ["generate_calls", "generate_values"],
    ),
}
