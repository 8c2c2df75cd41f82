import pytest
import importlib.util, pathlib
spec = importlib.util.spec_from_file_location("tss", pathlib.Path(__file__).parent / "test_sum_staking.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
reverts_with, ZERO = m.reverts_with, m.ZERO
owner, alice, stk, staking = m.owner, m.alice, m.stk, m.staking
rwd, rwd2, bob, carol, distributor = m.rwd, m.rwd2, m.bob, m.carol, m.distributor

def test_neg(staking, alice, stk, project, owner):
    with pytest.raises(AssertionError):
        with reverts_with(staking.ZeroAmount):
            staking.getStream(stk)
    with pytest.raises(AssertionError):
        with reverts_with(staking.UnknownToken, token=alice.address):
            staking.getStream(stk)
    with pytest.raises(AssertionError):
        with reverts_with(staking.NoStake, staker=owner.address):
            staking.claim(sender=alice)
    with pytest.raises(AssertionError):
        with reverts_with(staking.ZeroAddress):
            staking.claim(sender=alice)
    with pytest.raises(AssertionError):
        with reverts_with(project.SumStaking.ZeroAddress):
            project.SumStaking.deploy(owner, ZERO, sender=owner)
