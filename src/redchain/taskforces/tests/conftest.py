"""A little work on top of the shared ``world``: task forces and suggestions in branches X, Y and A1 and in
zone B, so every persona has something in and something out of scope."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from redchain.taskforces import services
from redchain.taskforces.models import Suggestion, TaskForce
from redchain.taskforces.tests.factories import adopted, implemented, suggestion, task_force


@dataclass
class Work:
    team_x: TaskForce
    team_y: TaskForce
    team_a1: TaskForce
    team_b: TaskForce
    idea_x: Suggestion
    idea_y: Suggestion
    idea_a1: Suggestion
    idea_b: Suggestion


@pytest.fixture
def work(world) -> Work:
    team_x = task_force(world.branch_x, name="星辰焊装攻关小组")
    services.task_force_add_member(actor=None, task_force=team_x, member=world.member_x, role="leader")
    team_y = task_force(world.branch_y, name="云帆电芯突击队", kind="shock")
    team_a1 = task_force(world.branch_a1, name="惠企政策服务队", kind="service")
    team_b = task_force(world.other_branch, name="远方制造先锋队", kind="vanguard")
    idea_x = suggestion(task_force=team_x, title="焊装夹具快换改造")
    implemented(task_force=team_x, title="余热回收利用", benefit_wan=Decimal("20.5"))
    adopted(world.branch_x, title="优化仓储动线")
    idea_y = suggestion(world.branch_y, title="电芯分容节能")
    idea_a1 = suggestion(world.branch_a1, title="企业诉求清单化")
    idea_b = suggestion(world.other_branch, title="远方降本增效")
    return Work(team_x, team_y, team_a1, team_b, idea_x, idea_y, idea_a1, idea_b)
