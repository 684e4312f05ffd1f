"""Two editors on two connections to the real PostgreSQL, racing on one table."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from domain.errors import VersionConflict
from domain.model import Actor, Period, Role
from domain.table import TargetTable
from domain.values import parse_value
from infra.bootstrap import build_node
from infra.settings import Settings
from service_layer.store import TablesApplication
from tests.conftest import NANCHANG, seed_documents


def test_two_writers_one_wins_the_other_gets_a_conflict_and_nothing_is_lost(
    postgres_database: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=postgres_database)
    alice = Actor(id="a", name="甲", role=Role.EDITOR, jurisdiction="360100")
    bob = Actor(id="b", name="乙", role=Role.EDITOR, jurisdiction="360100")
    first, second = build_node("360100", settings, "race"), build_node("360100", settings, "race")
    try:
        (outcome, *_) = first.import_documents(seed_documents(NANCHANG, "360100"), alice, "seed")
        table_id = outcome.table_id
        indicator = first.table(table_id).content.indicators[0].id
        ready = threading.Barrier(2)
        results: dict[str, object] = {}

        def write(app: TablesApplication, actor: Actor, raw: str) -> None:
            def change(table: TargetTable) -> None:
                ready.wait(timeout=10)
                table.set_indicator_value(
                    indicator, Period.FULL_YEAR, parse_value(raw), actor, actor.name
                )

            try:
                results[actor.id] = app.edit(table_id, 1, change).table.version
            except VersionConflict as conflict:
                results[actor.id] = conflict

        threads = [
            threading.Thread(target=write, args=(first, alice, "≤61万")),
            threading.Thread(target=write, args=(second, bob, "≤62万")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        conflicts = [value for value in results.values() if isinstance(value, VersionConflict)]
        wins = [value for value in results.values() if value == 2]
        assert (len(conflicts), len(wins)) == (1, 1), results
        assert conflicts[0].current == 2
        assert "reload version 2" in str(conflicts[0])

        winner = next(actor_id for actor_id, value in results.items() if value == 2)
        stored = first.table(table_id)
        assert stored.version == 2
        expected = "≤61万" if winner == "a" else "≤62万"
        assert stored.indicator(indicator).full_year.raw == expected

        loser_app = second if winner == "a" else first
        loser = bob if winner == "a" else alice
        retried = loser_app.edit(
            table_id,
            conflicts[0].current,
            lambda table: table.set_indicator_value(
                indicator, Period.HALF_YEAR, parse_value("≤30万"), loser, "retry"
            ),
        )
        assert retried.table.version == 3
        final = first.table(table_id).indicator(indicator)
        assert (final.full_year.raw, final.half_year and final.half_year.raw) == (expected, "≤30万")
    finally:
        first.close()
        second.close()


def test_an_edit_from_a_cache_another_process_overtook_is_a_conflict_and_stores_nothing(
    postgres_database: str,
) -> None:
    settings = Settings(database_url=postgres_database)
    alice = Actor(id="a", name="甲", role=Role.EDITOR, jurisdiction="360100")
    here = build_node("360100", settings, "stale")
    elsewhere = build_node("360100", settings, "stale")
    try:
        (outcome, *_) = here.import_documents(seed_documents(NANCHANG, "360100"), alice, "seed")
        table_id = outcome.table_id
        indicator = here.table(table_id).content.indicators[0].id

        def setting(raw: str) -> Callable[[TargetTable], None]:
            return lambda table: table.set_indicator_value(
                indicator, Period.FULL_YEAR, parse_value(raw), alice, raw
            )

        assert here.edit(table_id, 1, setting("≤61万")).table.version == 2  # cached at 2 here
        assert elsewhere.edit(table_id, 2, setting("≤62万")).table.version == 3

        with pytest.raises(VersionConflict) as conflict:
            here.edit(table_id, 2, setting("≤63万"))
        assert conflict.value.current == 3
        assert elsewhere.table(table_id).indicator(indicator).full_year.raw == "≤62万"

        assert here.edit(table_id, 3, setting("≤64万")).table.version == 4
        assert elsewhere.table(table_id).indicator(indicator).full_year.raw == "≤64万"
    finally:
        here.close()
        elsewhere.close()
