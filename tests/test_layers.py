"""The package's layers: only the engine imports TensorFlow, and each layer imports only the layers it builds on.

The analysis reads saved results only, so it imports neither the engine nor the experiments.
"""

import ast
import pathlib
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "fmnist"
DEEP_LEARNING = {"tensorflow", "keras", "tf_keras"}
# Which layers each layer may import; the top-level modules (config, paper, provenance) are for all.
MAY_IMPORT = {
    "data": set(),
    "store": {"data"},
    "engine": {"data", "store"},
    "experiments": {"data", "engine", "store"},
    "analysis": {"data", "store"},
}


def modules(folder: pathlib.Path = PACKAGE) -> list[pathlib.Path]:
    """Return every module of the package."""
    return sorted(folder.rglob("*.py"))


def imported(path: pathlib.Path) -> set[str]:
    """Return the dotted names of every module a source file imports, at any depth."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def layer_of(path: pathlib.Path) -> str | None:
    """Return the layer folder a module sits in, or None for the top-level modules."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def test_the_package_is_grouped_in_the_five_layers():
    assert {layer_of(path) for path in modules()} - {None} == set(MAY_IMPORT)


@pytest.mark.parametrize("path", [path for path in modules() if layer_of(path) != "engine"], ids=lambda path: str(path.relative_to(PACKAGE)))
def test_only_the_engine_imports_tensorflow_or_keras(path):
    assert not {name.split(".")[0] for name in imported(path)} & DEEP_LEARNING


@pytest.mark.parametrize("path", [path for path in modules() if layer_of(path)], ids=lambda path: str(path.relative_to(PACKAGE)))
def test_a_layer_imports_only_the_layers_below_it(path):
    layer = layer_of(path)
    used = {name.split(".")[1] for name in imported(path) if name.startswith("fmnist.") and name.count(".") >= 1}
    assert used & set(MAY_IMPORT) <= MAY_IMPORT[layer] | {layer}


def test_importing_every_module_but_the_engine_starts_no_tensorflow():
    names = [
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in modules()
        if layer_of(path) != "engine" and path.name != "__main__.py"
    ]
    script = f"import importlib, sys\nfor name in {names!r}:\n    importlib.import_module(name)\nprint(sorted(set(sys.modules) & set({sorted(DEEP_LEARNING)!r})))"
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
