"""Reading the trained context length out of a model's ``config.json``.

The Hub API's ``config`` field is a filtered subset without any length key (reference
§1.2), so the check reads ``config.json`` itself. Which key holds the length depends on
the model family, and some families have no usable key at all; getting that wrong
would turn every T5 or BLOOM row into a false alarm. The knowledge below is reference
§4 (transformers config classes, vLLM's and llama.cpp's key searches).
"""

from __future__ import annotations

import dataclasses
import typing as t

# Reference §4.1/§4.2: families whose config has no key the model actually uses.
#   t5: relative attention; the legacy ``n_positions: 512`` is not used by the model.
#   bloom: ALiBi, no length argument in BloomConfig (some revisions had seq_length).
#   RefinedWeb*/RW: old Falcon remote-code configs; llama.cpp: "2048 # not in config.json".
_NOT_STATED_TYPES = frozenset({"t5", "mt5", "umt5", "bloom", "refinedweb", "refinedwebmodel"})
_NOT_STATED_ARCHS = frozenset(
    {"T5ForConditionalGeneration", "MT5ForConditionalGeneration", "BloomForCausalLM",
     "BloomModel", "RWForCausalLM", "RWModel"}
)  # fmt: skip

# Reference §4.2: the family's own key, tried first.
_FAMILY_KEY: dict[str, str] = {
    "gpt2": "n_positions",
    "gptj": "n_positions",
    "gpt_bigcode": "n_positions",
    "codegen": "n_positions",
    "gpt_neox": "max_position_embeddings",
    "llama": "max_position_embeddings",
    "falcon": "max_position_embeddings",
    "stablelm": "max_position_embeddings",
    "mpt": "max_seq_len",
    "rwkv": "context_length",
    "chatglm": "seq_length",
}

# Reference §4.1 "practical lookup order" (vLLM's list plus RWKV's context_length).
_GENERIC_KEYS = (
    "max_position_embeddings",
    "n_positions",
    "max_seq_len",
    "seq_length",
    "context_length",
    "max_sequence_length",
    "max_seq_length",
    "seq_len",
)

# ``n_ctx`` is a legacy duplicate; CodeGen's doc says it is used "without any real
# effect" (reference §4.2), so it is never trusted there.
_LEGACY_KEY = "n_ctx"
_UNTRUSTED_LEGACY = frozenset({"codegen"})


@dataclasses.dataclass(frozen=True)
class ConfigLength:
    """What a config.json says about the trained context length."""

    value: int | None
    """``None``: the config does not state it (family without a key, or key absent)."""
    key: str | None
    model_type: str | None
    reason: str
    """One phrase for messages: ``"max_seq_len"`` or why nothing was read."""


def _model_type(config: t.Mapping[str, t.Any]) -> str | None:
    value = config.get("model_type")
    return value.lower() if isinstance(value, str) else None


def _archs(config: t.Mapping[str, t.Any]) -> set[str]:
    value = config.get("architectures")
    return {a for a in value if isinstance(a, str)} if isinstance(value, list) else set()


def _as_length(value: t.Any) -> int | None:
    # bool is an int subclass; a float like 2048.0 is accepted as written by some exporters
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    return None


def context_from_config(config: t.Mapping[str, t.Any]) -> ConfigLength:
    """The trained context length ``config`` states, with the key it came from."""
    model_type = _model_type(config)
    if model_type in _NOT_STATED_TYPES or _archs(config) & _NOT_STATED_ARCHS:
        family = model_type or "/".join(sorted(_archs(config)))
        return ConfigLength(None, None, model_type, f"{family} configs carry no usable length key")
    keys: list[str] = []
    if model_type in _FAMILY_KEY:
        keys.append(_FAMILY_KEY[model_type])
    keys.extend(k for k in _GENERIC_KEYS if k not in keys)
    if model_type not in _UNTRUSTED_LEGACY:
        keys.append(_LEGACY_KEY)
    for key in keys:
        value = _as_length(config.get(key))
        if value is not None:
            return ConfigLength(value, key, model_type, key)
    return ConfigLength(None, None, model_type, "no context-length key in config.json")
