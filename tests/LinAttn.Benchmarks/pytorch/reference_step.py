#!/usr/bin/env python3
"""Timing reference: one training step of the paper's formulation, in PyTorch, written for LinAttn.MLNet.

Reimplements (from the paper's description, not from the authors' files) what the authors' training loop does per
step: draw a fresh batch (W, X, X_test with torch.randn), build Z = [X, y; x_q, 0], run L layers of linear attention
with explicit scores einsum('BNi,ij,BMj->BNM'), a dense (N+1)x(N+1) mask that removes the query as a key, a residual
update of every token, loss = mean((out[:, N, d] + y_q)^2), backward, global-norm clipping at 1 (g *= c/||g|| when
||g|| > c), and AdamW(betas=(0.9, 0.9), weight_decay=0). Restricted parametrisation: allparam [L, H, 2, d, d].

Needs Debian's python3-torch (apt-get install python3-torch); it installs nothing itself. For OpenBLAS:
apt-get install libopenblas0-pthread (Debian then selects it as libblas.so.3 through update-alternatives).

Usage: /usr/bin/python3 reference_step.py --batches 64,1000 --threads 1,2 [--layers 3 --dim 5 --context 20]
Prints one line per configuration: "B,threads,median_s,min_s,max_s".
"""
import argparse
import statistics
import time

import torch


def restricted_matrices(allparam, layer, head, d):
    p = allparam[layer, head, 0]
    q = allparam[layer, head, 1]
    zero_col = torch.zeros(d, 1, dtype=p.dtype)
    zero_row = torch.zeros(1, d + 1, dtype=p.dtype)
    corner = torch.zeros(1, d + 1, dtype=p.dtype)
    corner[0, d] = 1.0
    p_full = torch.cat([torch.cat([p, zero_col], 1), corner], 0)
    q_full = torch.cat([torch.cat([q, zero_col], 1), zero_row], 0)
    return p_full, q_full


def forward(allparam, z, n, d, layers, heads):
    mask = torch.eye(n + 1, dtype=z.dtype)
    mask[n, n] = 0.0
    for layer in range(layers):
        update = torch.zeros_like(z)
        for head in range(heads):
            p_full, q_full = restricted_matrices(allparam, layer, head, d)
            scores = torch.einsum('BNi,ij,BMj->BNM', z, q_full, z)
            values = torch.einsum('ij,BMj->BMi', p_full, z)
            update = update + torch.einsum('BNM,ML,BLi->BNi', scores, mask, values) / n
        z = z + update
    return z


def step(allparam, optimizer, batch, n, d, layers, heads, clip):
    w = torch.randn(batch, d)
    x = torch.randn(batch, n, d)
    x_query = torch.randn(batch, 1, d)
    y = torch.einsum('bi,bni->bn', w, x).unsqueeze(2)
    y_query = torch.einsum('bi,bni->bn', w, x_query).squeeze(1)
    z = torch.cat([torch.cat([x, y], 2), torch.cat([x_query, torch.zeros(batch, 1, 1)], 2)], 1)
    out = forward(allparam, z, n, d, layers, heads)
    loss = ((out[:, n, d] + y_query) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    norm = allparam.grad.norm()
    if norm > clip:
        allparam.grad.mul_(clip / norm)
    optimizer.step()
    return loss.item()


def measure(batch, threads, args):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    allparam = torch.nn.Parameter(torch.empty(args.layers, 1, 2, args.dim, args.dim).normal_(0, 0.05))
    optimizer = torch.optim.AdamW([allparam], lr=1e-4, betas=(0.9, 0.9), weight_decay=0)
    run = lambda: step(allparam, optimizer, batch, args.context, args.dim, args.layers, 1, 1.0)
    for _ in range(3):
        run()
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < 0.05:
        run()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    iterations = max(1, int(args.seconds / per_call))
    samples = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(iterations):
            run()
        samples.append((time.perf_counter() - start) / iterations)
    return statistics.median(samples), min(samples), max(samples)


def parity_loss(path):
    """Loss of this formulation on the first parity case (float64): checks the reimplementation before timing it."""
    import json
    with open(path) as f:
        case = json.load(f)['cases'][0]
    torch.set_default_dtype(torch.float64)
    allparam = torch.tensor(case['allparam'])
    z = torch.tensor(case['Z0'])
    target = torch.tensor(case['target'])
    out = forward(allparam, z, case['n'], case['d'], case['L'], case['H'])
    loss = ((out[:, case['n'], case['d']] + target) ** 2).mean().item()
    torch.set_default_dtype(torch.float32)
    return loss, case['loss']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--parity', help='parity-vector JSON: print "parity,<our loss>,<reference loss>" first')
    parser.add_argument('--batches', default='64,1000,4000,10000')
    parser.add_argument('--threads', default='1,2')
    parser.add_argument('--layers', type=int, default=3)
    parser.add_argument('--dim', type=int, default=5)
    parser.add_argument('--context', type=int, default=20)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--seconds', type=float, default=0.5, help='target time of one repeat')
    args = parser.parse_args()
    if args.parity:
        ours, reference = parity_loss(args.parity)
        print(f'parity,{ours:.15g},{reference:.15g}', flush=True)
    for threads in (int(t) for t in args.threads.split(',')):
        for batch in (int(b) for b in args.batches.split(',')):
            median, low, high = measure(batch, threads, args)
            print(f'{batch},{threads},{median:.9f},{low:.9f},{high:.9f}', flush=True)


if __name__ == '__main__':
    main()
