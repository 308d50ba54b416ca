"""test_loop.py — the practitioner's loop from Python (pretrain -> sample -> transfer ->
predict -> search), the verbs' keyword options and errors, the data folder, and FBNet op
lists outside the data folder (the evolution example's path)."""

import json

import numpy as np
import pytest

import nasflat
from conftest import NB201_ARCH, cli_error


def test_nb201_loop_equals_the_cli(tiny, data_dir):
    pre = nasflat.pretrain(space="nb201", devices=["1080ti_1", "pixel3"], source_samples=30,
                           epochs=1, device="cpu")
    assert "pre-trained a nb201 predictor" in pre.report and pre.target == ""
    m = nasflat.sample(space="nb201", count=8, sampler="kmeancosine", fill_from="pixel2", seed=3)
    assert m["arch_index"].tolist() == json.loads((tiny / "m.json").read_text())["arch_index"]
    assert m["latency"].dtype == np.float64 and m["device"] == "pixel2"
    fitted = pre.transfer(m, epochs=2, folds=2)
    assert fitted.target == "pixel2" and pre.target == ""
    assert "answers with:" in fitted.report and "transferred the predictor" in fitted.report
    assert fitted.info["transfer"]
    # The same settings through the CLI made tiny/pixel2.ckpt: the same scores, bit for bit.
    cli_fitted = nasflat.Predictor.load(tiny / "pixel2.ckpt")
    archs = np.arange(0, 15625, 7)
    assert np.array_equal(fitted.predict(archs), cli_fitted.predict(archs))
    assert fitted.predict_ms([NB201_ARCH])[0] == 15.0
    r = nasflat.search(fitted, latency_max=[14, 18, 22])
    assert [c["latency_max_ms"] for c in r["choices"]] == [14, 18, 22]
    assert r["device"] == "pixel2" and r["objective"] == "accuracy:cifar10_valid_200ep"
    ms = fitted.predict_ms([c["arch_index"] for c in r["choices"]])
    assert all(m_ <= c["latency_max_ms"] for m_, c in zip(ms, r["choices"]))


def test_transfer_from_a_file_and_out(tiny, tmp_path):
    pre = nasflat.Predictor.load(tiny / "pre.ckpt")
    out = tmp_path / "p.ckpt"
    fitted = pre.transfer(tiny / "m.json", name="pixel2", epochs=2, folds=2, out=out)
    assert out.exists() and fitted.path == str(out)
    again = nasflat.Predictor.load(out)
    assert np.array_equal(again.predict(np.arange(100)), fitted.predict(np.arange(100)))
    with pytest.raises(ValueError, match="need the device's name"):
        pre.transfer({"space": "nb201", "arch_index": [1, 2], "latency": [1.0, 2.0]})


def test_verb_options_and_errors(tiny, cli):
    with pytest.raises(ValueError, match=r"pretrain: no option 'epohcs' \(did you mean 'epochs'"):
        nasflat.pretrain(space="nb201", epohcs=3)
    with pytest.raises(ValueError, match="--epochs: Value -3 not in range"):
        nasflat.pretrain(space="nb201", epochs=-3)
    with pytest.raises(ValueError, match="score_once is a switch"):
        nasflat.pretrain(space="nb201", score_once=3)
    # Bad input: the CLI's own message.
    r = cli("sample", "--space", "nb201", "--count", 3, "--sampler", "latency", check=False)
    with pytest.raises(ValueError) as e:
        nasflat.sample(space="nb201", count=3, sampler="latency")
    assert str(e.value) == cli_error(r)
    with pytest.raises(ValueError, match="unknown verb 'pretrian'"):
        nasflat.command("pretrian")
    assert "nb201" in nasflat.command("tasks", verbose=False)


def test_data(data_dir, tmp_path):
    d = nasflat.Data()
    assert d.path == data_dir and d.spaces == ["nb201", "fbnet"]
    assert "pixel2" in d.devices["nb201"] and len(d.devices["fbnet"]) > 10
    tasks = d.tasks
    assert [t["name"] for t in tasks] == [f"N{i}" for i in range(6)] + [f"F{i}" for i in range(6)]
    assert tasks[0]["paper_label"] == "ND" and "pixel2" in tasks[0]["targets"]
    with pytest.raises(ValueError, match="manifest.json"):
        nasflat.Data(tmp_path)


def test_experiment_returns_its_json(data_dir):
    r = nasflat.experiment(space="nb201", task="N1", samples=5, trials=1, source_samples=10,
                           epochs=1, transfer_epochs=1, protocol="first128")
    assert r["config"] == "reference" and r["epochs"] == 1
    assert -1 <= r["spearman_mean"] <= 1 and "N1" in r["report"]


@pytest.fixture(scope="module")
def fbnet(tmp_path_factory, data_dir):
    pre = nasflat.pretrain(space="fbnet", devices=["1080ti_1", "pixel3"], source_samples=20,
                           epochs=1, device="cpu")
    m = nasflat.sample(space="fbnet", count=8, sampler="random", fill_from="pixel2", seed=1)
    return pre.transfer(m, epochs=1, folds=0)


def test_fbnet_op_lists_outside_the_data_folder(fbnet):
    assert fbnet.num_positions == 22 and fbnet.num_ops == 9
    rng = np.random.default_rng(5)
    ops = rng.integers(0, 9, size=(300, 22))
    scores = fbnet.predict(ops)
    ms = fbnet.predict_ms(ops)
    assert scores.shape == (300,) and np.isfinite(ms).all()
    assert np.array_equal(fbnet.predict(ops, threads=1), fbnet.predict(ops, threads=2))
    # An indexed network written as ops, on a source row (the model alone): the index's bits.
    first = [int(x) for x in fbnet.arch_string(0).split(",")]
    assert np.array_equal(fbnet.predict([first], device="pixel3"),
                          fbnet.predict([0], device="pixel3"))
    with pytest.raises(ValueError, match="op ids \\(n, 22\\) for fbnet"):
        fbnet.predict(ops[:, :21])


def test_fbnet_evolution_search_agrees_with_predict_ms(fbnet):
    r = nasflat.search(fbnet, latency_max=[40], mode="evolution", objective="flops",
                       generations=3, population=16, children=8)
    c = r["choices"][0]
    assert r["mode"] == "evolution"
    if c["arch"]:
        ops = np.array([[int(x) for x in c["arch"].split(",")]])
        # Search scored it inside a generation's batch: a product over another batch shape
        # may round differently (the model's GEMMs), hence a tolerance here.
        assert fbnet.predict_ms(ops)[0] == pytest.approx(c["predicted_ms"], rel=1e-4)
