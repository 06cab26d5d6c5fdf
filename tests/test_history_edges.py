"""History's edges, end to end through landed files: a tie on TGL_UPDATE that an AKTIF version wins lapses
nothing, a NIK corrected on a card moves the card's whole history to the corrected person, a move of regency
inside a covered period follows the person, and the same files over two refreshes give the same marts and
history as at once.

Three people (as_of = 2024-05-31, points at the end of April and the end of May):

- A holds card 21 (Ambon, "Petani" → BPU_LAINNYA), AKTIF from 10 April. The May file sends two versions of it
  stamped 20 May 08:00, NONAKTIF then AKTIF: the later row wins, so A is covered and nothing lapsed.
- Card 22 (Ambon, "Petani", TGL_KEPESERTAAN 1 Feb) arrives in April under a mistaken NIK (B's); the May file
  corrects it to C's. It was C's all along: B is never counted, C is counted once in April too.
- C's own card 23 ("nelayan" → NELAYAN, TGL_KEPESERTAAN 1 Mar, later than card 22's) places C: in Buru in
  April; C moves to Ambon on 12 May while covered, so C is in Ambon at the end of May.
"""

import shutil

import pytest

from tests.refreshes import history, marts
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

HEADER = "NO_KPJ,NIK,NAMA_LENGKAP,KAB_KOTA,SEGMEN,PEKERJAAN,SUMBER_IURAN,TGL_KEPESERTAAN,STATUS,TGL_UPDATE"
NIK_A, NIK_B, NIK_C = "8171012001900021", "8171012101900022", "8171012201900023"
APRIL = [
    f"00000000021,{NIK_A},A,Kota Ambon,BPU,Petani,MANDIRI,01/01/2024,AKTIF,2024-04-10 10:00:00",
    f"00000000022,{NIK_B},B,Kota Ambon,BPU,Petani,MANDIRI,01/02/2024,AKTIF,2024-04-10 10:00:00",
    f"00000000023,{NIK_C},C,Kab. Buru,BPU,nelayan,MANDIRI,01/03/2024,AKTIF,2024-04-10 10:00:00",
]
MAY = [
    f"00000000021,{NIK_A},A,Kota Ambon,BPU,Petani,MANDIRI,01/01/2024,NONAKTIF,2024-05-20 08:00:00",
    f"00000000021,{NIK_A},A,Kota Ambon,BPU,Petani,MANDIRI,01/01/2024,AKTIF,2024-05-20 08:00:00",
    f"00000000022,{NIK_C},C,Kota Ambon,BPU,Petani,MANDIRI,01/02/2024,AKTIF,2024-05-15 10:00:00",
    f"00000000023,{NIK_C},C,Kota Ambon,BPU,nelayan,MANDIRI,01/03/2024,AKTIF,2024-05-12 10:00:00",
]
FILES = {
    "kepesertaan_20240430.csv": "\n".join([HEADER, *APRIL]) + "\n",
    "kepesertaan_20240531.csv": "\n".join([HEADER, *MAY]) + "\n",
}


@pytest.fixture(scope="module")
def at_once_and_in_steps(tmp_path_factory):
    at_once = Workspace(tmp_path_factory.mktemp("at_once"))
    at_once.activate()
    for name, text in FILES.items():
        at_once.land(name, text)
    at_once.refresh()
    expected = marts(at_once), history(at_once)

    in_steps = Workspace(tmp_path_factory.mktemp("in_steps"))
    in_steps.activate()
    for name, text in FILES.items():  # April, refreshed; then May (an incremental build)
        in_steps.land(name, text)
        in_steps.refresh()
    return at_once, expected, in_steps


def covered_by_month(ws: Workspace) -> dict:
    rows = ws.query(
        "select month, regency_code, sector, covered_workers, lapsed_memberships from marts.coverage_monthly "
        "where covered_workers > 0 or lapsed_memberships > 0"
    )
    return {
        (row["month"].isoformat(), row["regency_code"], row["sector"]): (
            row["covered_workers"],
            row["lapsed_memberships"],
        )
        for row in rows
    }


def test_a_tie_won_by_aktif_lapses_nothing_and_a_corrected_card_was_always_its_new_holders(at_once_and_in_steps):
    at_once, *_ = at_once_and_in_steps
    assert covered_by_month(at_once) == {
        # A in Ambon; C once (card 22 was C's all along), placed by card 23 in Buru; B nowhere
        ("2024-04-01", "8171", "BPU_LAINNYA"): (1, 0),
        ("2024-04-01", "8104", "NELAYAN"): (1, 0),
        # A still covered, no lapse; C moved to Ambon inside the covered period
        ("2024-05-01", "8171", "BPU_LAINNYA"): (1, 0),
        ("2024-05-01", "8171", "NELAYAN"): (1, 0),
    }
    (province,) = at_once.query("select covered_workers, covered_workers_total from marts.coverage_province")
    assert province == {"covered_workers": 2, "covered_workers_total": 2}


def test_a_move_inside_a_covered_period_starts_a_new_spell(at_once_and_in_steps):
    at_once, *_ = at_once_and_in_steps
    spells = at_once.query(
        "select lpad(cast(no_kpj as varchar), 11, '0') as card, regency_code, valid_from, valid_to "
        "from intermediate.int_person_spells order by card, valid_from",
        "warehouse",
    )
    assert [(s["card"], s["regency_code"], str(s["valid_from"]), s["valid_to"]) for s in spells] == [
        ("00000000021", "8171", "2024-04-10 10:00:00", None),
        ("00000000023", "8104", "2024-04-10 10:00:00", spells[2]["valid_from"]),
        ("00000000023", "8171", "2024-05-12 10:00:00", None),
    ]


def test_the_same_files_over_two_refreshes_give_the_marts_and_history_of_one(at_once_and_in_steps):
    _, (expected_marts, expected_history), in_steps = at_once_and_in_steps
    assert marts(in_steps) == expected_marts
    assert history(in_steps) == expected_history
    builds = in_steps.query("select full_refresh from audit.builds order by built_at", "warehouse")
    assert [b["full_refresh"] for b in builds] == [True, False]


def test_a_revision_that_withdraws_a_card_withdraws_its_spells(at_once_and_in_steps, tmp_path):
    """The April file re-sent without card 23: C is then placed by card 22 alone, in Ambon, from April."""
    _, _, in_steps = at_once_and_in_steps
    ws = Workspace(tmp_path)
    shutil.copytree(in_steps.root, tmp_path, dirs_exist_ok=True)
    ws.activate()
    ws.land("kepesertaan_20240430.csv", "\n".join([HEADER, *APRIL[:2]]) + "\n")
    ws.refresh()
    assert covered_by_month(ws) == {
        ("2024-04-01", "8171", "BPU_LAINNYA"): (2, 0),  # A, and C by card 22
        ("2024-05-01", "8171", "BPU_LAINNYA"): (1, 0),  # A
        ("2024-05-01", "8171", "NELAYAN"): (1, 0),  # C: card 23's May version stands, now C's only place
    }
