"""An indicator added or moved on screen joins the table's own category block (issue 25, 5).

People pick categories as the vocabulary names them (社会效益指标); a table keeps the labels as
its document wrote them (社会效益). The category is matched by its normalised code.
"""

from __future__ import annotations

from uuid import UUID

from domain.model import Actor, Indicator, Role
from domain.table import TargetTable
from infra.bootstrap import NodeServices
from tests.conftest import NANCHANG, ServicesFactory, seed_documents

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")


def table_writing(services: NodeServices, level2: str) -> TargetTable:
    """A seed table of Nanchang's whose document writes the level 2 ``level2`` as shown."""
    outcomes = services.editing.import_documents(EDITOR, seed_documents(NANCHANG, "360100"), "seed")
    tables = [services.app.table(outcome.table_id) for outcome in outcomes]
    return next(t for t in tables if any(i.level2 == level2 for i in t.content.indicators))


def blocks(indicators: tuple[Indicator, ...]) -> list[tuple[str, str]]:
    """The printed runs of (level 1, level 2) labels, in order."""
    runs: list[tuple[str, str]] = []
    for item in indicators:
        if not runs or runs[-1] != (item.level1, item.level2):
            runs.append((item.level1, item.level2))
    return runs


def added(services: NodeServices, table_id: UUID, name: str) -> Indicator:
    table = services.app.table(table_id)
    return next(item for item in table.content.indicators if item.name == name)


def test_a_new_indicator_named_by_the_vocabulary_joins_the_tables_own_block(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table = table_writing(services, "生态效益")
    before = blocks(table.content.indicators)
    services.editing.add_indicator(
        EDITOR, table.id, table.version, "效益指标", "生态效益指标", "河道断面达标率", "≥90%"
    )
    stored = services.app.table(table.id)
    item = added(services, table.id, "河道断面达标率")
    assert (item.level1_code, item.level2_code) == ("benefit", "ecological_benefit")
    assert item.level2 == "生态效益"
    assert blocks(stored.content.indicators) == before
    last_of_block = max(
        i for i, other in enumerate(stored.content.indicators) if other.level2 == "生态效益"
    )
    assert stored.content.indicators[last_of_block] == item


def test_a_level_one_written_shorter_takes_the_tables_label(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table = table_writing(services, "服务对象满意度")
    written = next(i.level1 for i in table.content.indicators if i.level1_code == "satisfaction")
    services.editing.add_indicator(
        EDITOR, table.id, table.version, "satisfaction", "服务对象满意度指标", "企业满意度", "≥90%"
    )
    item = added(services, table.id, "企业满意度")
    assert (item.level1, item.level2) == (written, "服务对象满意度")
    assert blocks(services.app.table(table.id).content.indicators) == blocks(
        table.content.indicators
    )


def test_an_indicator_moved_into_a_category_takes_the_tables_label(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table = table_writing(services, "生态效益")
    moved = next(i for i in table.content.indicators if i.level1_code == "output")
    services.editing.move_indicator(
        EDITOR, table.id, table.version, moved.id, "benefit", "生态效益指标"
    )
    assert services.app.table(table.id).indicator(moved.id).level2 == "生态效益"


def test_a_category_the_table_does_not_have_keeps_the_vocabularys_label(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table = table_writing(services, "生态效益")
    services.editing.add_indicator(
        EDITOR, table.id, table.version, "效益指标", "社会效益指标", "宣传覆盖人次", "≥1000人次"
    )
    item = added(services, table.id, "宣传覆盖人次")
    assert (item.level2, item.level2_code) == ("社会效益指标", "social_benefit")
    indicators = services.app.table(table.id).content.indicators
    places = [i for i, other in enumerate(indicators) if other.level1_code == "benefit"]
    assert places == list(range(places[0], places[-1] + 1)), "one 效益指标 block"
    assert indicators[places[-1]] == item
