#!/usr/bin/env python3
"""The authors' PyTorch predictor timed on the same work as bench/bench_model.

Loads `models_abl_p2.GIN_Model` from a checkout of the authors' repository (given with
--authors-repo; nothing of it is copied here), builds it as their `main_trf.create_gin_model`
does for the paper runs (gnn_type `ensemble`, op/hw embedding at the nodes, op-update dims
[128, 128], forward dims [128, 128, 128], head [200, 200, 200]), and times on the CPU:

  infer          one forward of B architectures, no autograd (bench_model's `infer`);
  train          one forward of B architectures, the pairwise hinge loss (margin 0.1) over 4B
                 random pairs of those scores, backward and an Adam step (bench_model's `train`,
                 the work our training step does);
  train-2fwd     the authors' own step for a batch of B: two forwards of the 4B pairs' "i" and
                 "j" architectures, hinge, backward, Adam (NASFLAT_SPEC.md 4.1). archs/s counts
                 the B architectures of the batch, as for `train`.

Graphs are shaped like the spaces: NB201 8 nodes (random upper-triangular DAG), FBNet 22 nodes
with the identity adjacency the authors' FBNet graph has; op indices random. Timings are the
median of --reps calls after two warm-up calls.

  python3 bench/bench_torch_reference.py --authors-repo /path/to/nasflat_latency \
      --space all --batch 256 --train-batch 128 --threads 1
"""
import argparse
import os
import statistics
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--authors-repo", required=True,
                   help="checkout of the authors' repository (holds correlation_trainer/)")
    p.add_argument("--space", choices=["nb201", "fbnet", "all"], default="all")
    p.add_argument("--batch", type=int, default=256, help="inference batch")
    p.add_argument("--train-batch", type=int, default=128, help="training batch")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--no-2fwd", action="store_true", help="skip the authors' two-forward step")
    return p.parse_args()


def build_model(GIN_Model, vertices):
    # As main_trf.create_gin_model builds it for the paper's runs (NASFLAT_SPEC.md 3.1).
    return GIN_Model(device=["source"], cpu_gpu_device="cpu", dual_gcn=False, num_zcps=13,
                     hwemb_to_mlp=False, vertices=vertices, none_op_ind=130,
                     op_embedding_dim=48, node_embedding_dim=48, zcp_embedding_dim=48,
                     hid_dim=96, forward_gcn_out_dims=[128, 128, 128],
                     op_fp_gcn_out_dims=[128, 128], mlp_dims=[200, 200, 200], dropout=0.0,
                     replace_bgcn_mlp_dims=[128, 128, 128], input_zcp=False,
                     zcp_embedder_dims=[128, 128], updateopemb_dims=[128],
                     ensemble_fuse_method="add", gtype="ensemble")


def make_inputs(torch, space, B, gen):
    n = 8 if space == "nb201" else 22
    if space == "nb201":
        adj = torch.triu((torch.rand(B, n, n, generator=gen) < 0.5).long(), diagonal=1)
        ops = torch.randint(0, 7, (B, n), generator=gen)
    else:
        adj = torch.eye(n, dtype=torch.long).repeat(B, 1, 1)
        ops = torch.randint(0, 11, (B, n), generator=gen)
    hw = torch.full((B, n), 3, dtype=torch.long)
    return adj, ops, hw


def median_time(fn, reps):
    for _ in range(2):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def hinge(torch, si, sj, sign):
    return torch.clamp(0.1 - sign * (si - sj), min=0.0).mean()


def main():
    args = parse_args()
    sys.path.insert(0, os.path.join(args.authors_repo, "correlation_trainer"))
    import torch
    torch.set_num_threads(args.threads)
    from models_abl_p2 import GIN_Model

    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"reps {args.reps} (median)")
    spaces = ["nb201", "fbnet"] if args.space == "all" else [args.space]
    for space in spaces:
        n = 8 if space == "nb201" else 22
        torch.manual_seed(42)
        gen = torch.Generator().manual_seed(42)
        model = build_model(GIN_Model, n)

        model.eval()
        model.training = False
        adj, ops, hw = make_inputs(torch, space, args.batch, gen)
        with torch.no_grad():
            s = median_time(lambda: model(x_ops_1=ops, x_adj_1=adj, hw_idx=hw), args.reps)
        print(f"{space:6s} torch  infer       batch {args.batch:6d}  {s * 1e3:9.3f} ms  "
              f"{args.batch / s:9.0f} archs/s")

        model.train()
        model.training = True
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        B = args.train_batch
        adj, ops, hw = make_inputs(torch, space, B, gen)
        pi = torch.randint(0, B, (4 * B,), generator=gen)
        pj = torch.randint(0, B, (4 * B,), generator=gen)
        sign = torch.where(torch.rand(4 * B, generator=gen) < 0.5, -1.0, 1.0)

        def step_once():
            opt.zero_grad()
            scores = model(x_ops_1=ops, x_adj_1=adj, hw_idx=hw).squeeze()
            hinge(torch, scores[pi], scores[pj], sign).backward()
            opt.step()

        s = median_time(step_once, args.reps)
        print(f"{space:6s} torch  train       batch {B:6d}  {s * 1e3:9.3f} ms  "
              f"{B / s:9.0f} archs/s")

        if not args.no_2fwd:
            def step_two_forwards():
                opt.zero_grad()
                si = model(x_ops_1=ops[pi], x_adj_1=adj[pi], hw_idx=hw[pi]).squeeze()
                sj = model(x_ops_1=ops[pj], x_adj_1=adj[pj], hw_idx=hw[pj]).squeeze()
                hinge(torch, si, sj, sign).backward()
                opt.step()

            s = median_time(step_two_forwards, max(3, args.reps // 2))
            print(f"{space:6s} torch  train-2fwd  batch {B:6d}  {s * 1e3:9.3f} ms  "
                  f"{B / s:9.0f} archs/s")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
