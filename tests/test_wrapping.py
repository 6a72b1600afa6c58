"""Terminal wrapping (assess/wrapping.py): CJK widths, 避头, rich markup kept valid per line."""
from assess.wrapping import NO_LINE_START, width, wrap


def test_cjk_width_and_wrapping():
    assert width("数额较大") == 8
    lines = wrap("诈骗数额 6,800元，达到当地“数额较大”标准 6,000元，未达“数额巨大”标准。" * 3,
                 40, "  ")
    assert all(width(line) <= 40 for line in lines)
    assert "6,800元" in "".join(lines)


def test_wrapped_chinese_never_starts_a_line_with_closing_punctuation():
    text = ("向人民法院请求保护民事权利的诉讼时效期间为三年，自权利人知道或者应当知道权利受到损害"
            "以及义务人之日起计算。诈骗数额 6,800元，达到当地“数额较大”标准（6,000元）。")
    for cols in range(12, 70):
        lines = wrap(text, cols, indent="  ")
        assert "".join(l.strip() for l in lines).replace(" ", "") == text.replace(" ", "")
        for line in lines[1:]:
            assert line.strip()[:1] not in NO_LINE_START, (cols, lines)
        assert all(width(l) <= cols for l in lines), (cols, lines)


def test_markup_takes_no_room_and_every_line_is_balanced():
    from rich.markup import render

    text = "[bold]处罚[/bold]：依法应当给予行政拘留处罚的，不执行行政拘留处罚；[bold]但情节严重、影响恶劣的除外[/bold]。"
    for cols in range(10, 60):
        lines = wrap(text, cols, indent="  ", markup=True)
        plain = [render(line).plain for line in lines]      # raises on an unbalanced tag
        assert all(width(p) <= cols for p in plain), (cols, plain)
        assert "".join(p.strip() for p in plain) == render(text).plain
        assert not any(p.strip()[:1] in NO_LINE_START for p in plain[1:]), (cols, plain)


def test_evaluate_text_output_follows_the_chinese_line_break_rules():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for cols in (50, 67, 80):
        env = dict(os.environ, COLUMNS=str(cols))
        proc = subprocess.run([sys.executable, "-m", "assess.cli", "evaluate",
                               str(root / "examples" / "unknown-intent-hubei.yaml"),
                               "--as-of", "2026-01-15"], capture_output=True, text=True, env=env,
                              cwd=root)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        assert all(width(line) <= cols for line in lines)
        assert not [line for line in lines if line.strip()[:1] in NO_LINE_START]
        assert "结论：" in proc.stdout and "评估日：2026-01-15" in proc.stdout
