"""environment.yml and pyproject.toml describe the same environment."""

import pathlib
import tomllib

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def normalise(requirement: str) -> str:
    """Return a requirement without spaces, in lower case."""
    return requirement.replace(" ", "").lower()


def test_environment_yml_pins_what_pyproject_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = set(project["dependencies"])
    for extra in ("book", "test"):
        declared |= set(project["optional-dependencies"][extra])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item for item in environment["dependencies"] if isinstance(item, dict))
    assert {normalise(r) for r in pip_section["pip"]} == {normalise(r) for r in declared}


def test_environment_yml_uses_the_python_pyproject_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python="))
    minimum = project["requires-python"].removeprefix(">=")
    assert tuple(map(int, python.removeprefix("python=").split("."))) >= tuple(map(int, minimum.split(".")))


def test_keras2_is_installed_at_tensorflows_version():
    import importlib.metadata

    tensorflow = importlib.metadata.version("tensorflow-cpu")
    keras2 = importlib.metadata.version("tf-keras")  # `make install` installs it, without its dependencies.
    assert keras2.split(".")[:2] == tensorflow.split(".")[:2]


def test_install_steps_name_keras2_without_its_dependencies():
    for path in ("Makefile", "binder/postBuild"):
        text = (ROOT / path).read_text()
        assert "--no-deps" in text and "tf-keras==" in text, path
