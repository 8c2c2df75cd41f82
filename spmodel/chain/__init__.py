"""The ape-bound half of spmodel: drives a deployed StabilityPool in step with the models.

- `harness.Harness`: every operation sent to the contract and applied to both models, then checked;
- `deploy`: mock tokens, pools with their roles, funding, a Harness over a pool;
- `anvil`: fast set-up on Anvil (impersonated raw sends, storage dealing, receipts, snapshots,
  a fixed block interval);
- `simulation`: the seeded random-history driver and the end-of-run conservation check;
- `seed000`: seed 000's scenario replayed on a pool;
- `gas`: the gas measurements of `ape run gas`.
"""
