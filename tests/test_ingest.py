"""Adding a new local measure (issue 7): `rongcuo-kg ingest` reads .txt, .docx and text PDFs,
adds the measure to the corpus with suggested annotations, and from then on the measure is in
every query, the finder, the matrix, compare and validation; `review` accepts and rejects
suggestions. Bad input changes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rongcuo_kg.paths import DEFAULT_DATA_DIR

CLI = [sys.executable, "-m", "rongcuo_kg.cli"]

# A county measure written for these tests, in the usual form of such measures: a list of
# situations (下列情形), a list of conditions (下列条件), an exclusion, consequences.
MEASURE = """中共某某县委办公室文件
某委办发〔2021〕12号
某某县干部容错纠错实施办法
第一条 为激励广大干部担当作为、干事创业，建立容错纠错机制，制定本办法。
第二条 本办法适用于全县各级党政机关及其工作人员。
第三条 干部在工作中出现失误，有下列情形之一的，可以容错免责：
（一）在处置突发事件、抢险救灾等急难险重任务中，紧急情况下临机决断出现失误的；
（二）在改革创新中先行先试，因缺乏经验出现探索性失误的；
（三）因国家政策调整或上级决策部署变化，出现工作偏差的；
（四）其他可以容错的情形。
第四条 容错应当同时符合下列条件：
（一）法律法规和纪律没有明令禁止的；
（二）经过集体研究、民主决策程序的；
（三）没有为自己、他人或者其他组织谋取不当利益的；
（四）积极主动挽回损失、消除影响的。
第五条 对违反法定程序、独断专行的，不予容错。
第六条 经认定予以容错的干部，在年度考核、评先评优、选拔任用中不受影响。
第七条 本办法由县委组织部负责解释，自印发之日起施行。
"""


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)


def folder_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(folder)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


@pytest.fixture()
def data(tmp_path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, d)
    return d


@pytest.fixture()
def measure_txt(tmp_path) -> Path:
    p = tmp_path / "county.txt"
    p.write_text(MEASURE, encoding="utf-8")
    return p


def links(data: Path, mid: str) -> set[tuple[str, str, str]]:
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.finding.finder import get_index

    index = get_index(open_store(data))
    return {(index.units[i].ref, prop, cid) for i in index.by_measure[mid] for prop, cid in index.units[i].links}


def test_a_new_measure_is_added_with_its_situations_and_conditions(data, measure_txt):
    res = cli("ingest", str(measure_txt), "--id", "county", "--data", str(data), "--region", "某某县", "--json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["articles"] == 7 and summary["used_at_once"] > 0
    meta = json.loads((data / "corpus" / "county.json").read_text(encoding="utf-8"))
    assert meta["title"] == "某某县干部容错纠错实施办法"
    assert meta["document_number"] == "某委办发〔2021〕12号"
    assert meta["region"] == "某某县"
    assert meta["issuer"] == "中共某某县委办公室"  # from the red header "中共某某县委办公室文件"
    assert (data / "corpus" / "county.txt").read_text(encoding="utf-8") == MEASURE
    used = links(data, "county")
    # the items of the list of situations state situations …
    assert ("3.1", "statesSituation", "emergency") in used
    assert ("3.2", "statesSituation", "exploratory_trial") in used
    assert ("3.3", "statesSituation", "policy_change") in used
    # … and the items of the list of conditions are required conditions
    assert ("4.1", "requiresCondition", "not_prohibited") in used
    assert ("4.2", "requiresCondition", "democratic_decision") in used
    assert ("4.3", "requiresCondition", "no_improper_benefit") in used
    assert ("2", "statesGeneralProvision", "scope_of_application") in used


NOTICE = """中共绵阳市委办公室文件
绵委办发〔2018〕25号
关于印发《绵阳市干部容错纠错实施办法（试行）》的通知
各县市区委，市级各部门：
现将《绵阳市干部容错纠错实施办法（试行）》印发给你们，请结合实际认真贯彻执行。
中共绵阳市委办公室
2018年5月3日
绵阳市干部容错纠错实施办法（试行）
第一条 为了激励干部担当作为，制定本办法。
第二条 干部在改革创新中先行先试出现失误，符合条件的，予以容错。
第三条 本办法自印发之日起施行。
"""


def test_metadata_the_text_states_is_read_from_a_notice_that_issues_the_measure(data, tmp_path):
    """A measure as it is usually published: inside a 印发 notice with 文号, issuer and date."""
    src = tmp_path / "mianyang.txt"
    src.write_text(NOTICE, encoding="utf-8")
    res = cli("ingest", str(src), "--data", str(data), "--json")
    assert res.returncode == 0, res.stderr
    meta = json.loads((data / "corpus" / "mianyang.json").read_text(encoding="utf-8"))
    assert meta["title"] == "绵阳市干部容错纠错实施办法（试行）"
    assert meta["document_number"] == "绵委办发〔2018〕25号"
    assert meta["issuer"] == "中共绵阳市委办公室"
    assert meta["date"] == "2018-05-03"
    # what the options say wins over what is read from the text
    other = tmp_path / "other"
    shutil.copytree(DEFAULT_DATA_DIR, other)
    res = cli("ingest", str(src), "--id", "my", "--data", str(other), "--title", "绵阳办法", "--issuer", "绵阳市委",
              "--date", "2018-06-01", "--level", "地级市")
    assert res.returncode == 0, res.stderr
    meta = json.loads((other / "corpus" / "my.json").read_text(encoding="utf-8"))
    assert (meta["title"], meta["issuer"], meta["date"], meta["administrative_level"]) == \
        ("绵阳办法", "绵阳市委", "2018-06-01", "地级市")


@pytest.mark.parametrize("codec", ["gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_a_text_file_in_another_encoding_is_kept_as_utf8_text(data, tmp_path, codec):
    """GBK, UTF-16 with a BOM and without one (utf-16-le/-be), UTF-8 with a BOM: all kept as UTF-8."""
    src = tmp_path / "county.txt"
    src.write_bytes(MEASURE.replace("\n", "\r\n").encode(codec))
    res = cli("ingest", str(src), "--data", str(data))
    assert res.returncode == 0, res.stderr
    kept = (data / "corpus" / "county.txt").read_bytes()
    assert kept.decode("utf-8").replace("\r\n", "\n") == MEASURE  # the text, not the bytes, is kept verbatim
    assert not kept.startswith(b"\xef\xbb\xbf")


def test_the_added_measure_is_in_queries_finder_matrix_compare_and_validation(data, measure_txt, tmp_path):
    assert cli("ingest", str(measure_txt), "--id", "county", "--data", str(data)).returncode == 0
    rows = json.loads(cli("query", "measures", "--data", str(data), "--format", "json").stdout)["rows"]
    assert "county" in [r[0] for r in rows]
    found = json.loads(cli("find", "防汛抢险时来不及请示就转移了群众", "--measure", "county", "--data", str(data),
                           "--json").stdout)
    assert (found["results"][0]["article"], found["results"][0]["item"]) == ("3", 1)
    matrix = json.loads(cli("matrix", "--kind", "condition", "--data", str(data), "--json").stdout)
    assert "county" in matrix["measures"]
    pairs = json.loads(cli("compare", "guian", "county", "--data", str(data), "--json").stdout)["pairs"]
    assert any(p["a"]["article"] == "6" and p["a"]["item"] == 5 and p["b"]["article"] == "3" and p["b"]["item"] == 1
               for p in pairs)
    register = tmp_path / "register.csv"
    register.write_text(
        "case_id,measure,subject,date,situations,issue_key,description,not_prohibited,democratic_decision,"
        "no_improper_benefit,no_collusion,proactive_correction,no_serious_consequence,within_statutory_duty\n"
        "K1,county,应急局,2024-06-01,emergency,k-1,防汛转移群众,true,true,true,,true,,true\n"
        "K2,county,应急局,2024-06-02,emergency,k-2,防汛转移群众,true,false,true,,true,,\n"
        "K3,county,应急局,2024-06-03,emergency,k-3,防汛转移群众,true,true,true,,true,,false\n", encoding="utf-8")
    out = cli("validate", str(register), "--data", str(data), "--json")
    cases = {c["case_id"]: c for c in json.loads(out.stdout)["cases"]}
    # Art 5 (违反法定程序…不予容错) is enforced: K1 establishes it acted within statutory procedure.
    # Rules generated from suggestions used unreviewed: every finding is provisional, and says so
    assert cases["K1"]["outcome"] == "exemption" and cases["K1"]["provisional"] is True
    assert cases["K2"]["outcome"] == "not_tolerable" and cases["K2"]["provisional"] is True
    assert "暂定" in cli("validate", str(register), "--data", str(data)).stdout
    # once a reviewer has decided every suggestion in use, the findings are no longer provisional
    assert cli("review", "county", "--accept-above", "0", "--data", str(data)).returncode == 0
    reviewed = {c["case_id"]: c for c in json.loads(cli("validate", str(register), "--data", str(data),
                                                        "--json").stdout)["cases"]}
    assert reviewed["K1"]["provisional"] is False
    assert [(v["clause"]["measure"], v["clause"]["article"], v["clause"]["item"]) for v in cases["K2"]["violations"]] \
        == [("county", "4", 2)]
    # its 不予容错 list is enforced: 违反法定程序 established (within_statutory_duty false) → refused by Art 5
    assert cases["K3"]["outcome"] == "not_tolerable"
    assert [(v["clause"]["article"], v["path"]) for v in cases["K3"]["violations"]] == [("5", "within_statutory_duty")]


@pytest.mark.parametrize("printed, number", [
    ("绵委办发[2018]25号", "绵委办发[2018]25号"),
    ("绵委办发（2018）25号", "绵委办发（2018）25号"),
    ("绵委办发〔2018〕第25号", "绵委办发〔2018〕第25号"),
])
def test_a_document_number_is_read_however_its_year_is_bracketed(data, tmp_path, printed, number):
    src = tmp_path / "mianyang.txt"
    src.write_text(NOTICE.replace("绵委办发〔2018〕25号", printed), encoding="utf-8")
    assert cli("ingest", str(src), "--data", str(data)).returncode == 0
    meta = json.loads((data / "corpus" / "mianyang.json").read_text(encoding="utf-8"))
    assert meta["document_number"] == number


def test_word_and_pdf_files_are_read(data, tmp_path):
    import docx

    doc = docx.Document()
    for line in MEASURE.splitlines():
        doc.add_paragraph(line)
    word = tmp_path / "county-word.docx"
    doc.save(word)
    # a PDF with a text layer, printed by Chromium from HTML (as a browser's "save as PDF" does)
    pdf = tmp_path / "county-pdf.pdf"
    html = tmp_path / "county.html"
    html.write_text("<html><meta charset='utf-8'><body style='font-family:WenQuanYi Micro Hei'>"
                    + "".join(f"<p>{line}</p>" for line in MEASURE.splitlines()) + "</body></html>",
                    encoding="utf-8")
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--print-to-pdf={pdf}",
                    "--no-pdf-header-footer", html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    res = cli("ingest", str(word), str(pdf), "--data", str(data), "--json")
    # the PDF holds the same text as the Word file: the second is refused as a duplicate
    assert res.returncode == 2 and "the same text is already in the corpus as 'county-word'" in res.stderr
    added = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(a["id"], a["articles"]) for a in added] == [("county-word", 7)]
    other = tmp_path / "other-data"
    shutil.copytree(DEFAULT_DATA_DIR, other)
    res = cli("ingest", str(pdf), "--data", str(other), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["articles"] == 7
    assert (other / "corpus" / "county-pdf.txt").read_text(encoding="utf-8").strip() == \
        (data / "corpus" / "county-word.txt").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("case", ["not_a_measure", "not_a_tolerance_measure", "scanned_pdf", "id_in_use", "same_text", "twice_in_batch",
                                  "bad_type", "broken_docx", "broken_pdf", "same_text_respaced", "unpadded_date",
                                  "a_folder"])
def test_bad_input_exits_2_with_one_line_and_changes_nothing(case, data, measure_txt, tmp_path):
    args = [str(measure_txt), "--id", "county"]
    if case == "not_a_measure":
        letter = tmp_path / "letter.txt"
        letter.write_text("关于召开会议的通知\n各单位：定于下周一召开会议。\n", encoding="utf-8")
        args = [str(letter), "--id", "letter"]
    elif case == "not_a_tolerance_measure":
        # numbered like a 公文 (一、二、…), so it parses, but it is a meeting notice: no situation,
        # condition, exclusion or consequence of tolerance anywhere
        notice = tmp_path / "notice.txt"
        notice.write_text("关于召开全市安全生产工作会议的通知\n各区县：\n经研究，决定召开全市安全生产工作会议。"
                          "现将有关事项通知如下：\n一、会议时间\n2024年3月5日上午9时。\n二、会议地点\n"
                          "市政府三楼会议室。\n三、参会人员\n各区县分管负责同志。\n四、有关要求\n"
                          "请各单位于3月1日前报送参会名单。\n市政府办公室\n2024年2月20日\n", encoding="utf-8")
        args = [str(notice), "--id", "notice"]
    elif case == "scanned_pdf":
        # a scan: each page is a picture of printed lines, the PDF has no text layer
        from PIL import Image, ImageDraw

        page = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(page)
        for y in range(200, 1500, 60):
            draw.rectangle([150, y, 1090 - (y % 7) * 40, y + 22], fill=40)
        scan = tmp_path / "scan.pdf"
        page.save(scan, "PDF", resolution=150.0, save_all=True, append_images=[page.copy()])
        args = [str(scan), "--id", "scan"]
    elif case == "id_in_use":
        args = [str(measure_txt), "--id", "guian"]
    elif case == "same_text":
        shutil.copy(DEFAULT_DATA_DIR / "corpus" / "audit.txt", tmp_path / "audit_copy.txt")
        args = [str(tmp_path / "audit_copy.txt"), "--id", "audit_copy"]
    elif case == "twice_in_batch":
        other = tmp_path / "sub" / "county.txt"
        other.parent.mkdir()
        other.write_text(MEASURE, encoding="utf-8")
        args = [str(measure_txt), str(other)]
    elif case == "bad_type":
        odd = tmp_path / "measure.rtf"
        odd.write_text(MEASURE, encoding="utf-8")
        args = [str(odd), "--id", "odd"]
    elif case in ("broken_docx", "broken_pdf"):  # a file named like Word or PDF that is not one
        fake = tmp_path / ("measure.docx" if case == "broken_docx" else "measure.pdf")
        fake.write_text("hello", encoding="utf-8")
        args = [str(fake), "--id", "fake"]
    elif case == "same_text_respaced":  # the audit measure again, with spaces at line ends
        text = (DEFAULT_DATA_DIR / "corpus" / "audit.txt").read_text(encoding="utf-8")
        respaced = tmp_path / "audit_spaces.txt"
        respaced.write_text("\n".join(line + "  " for line in text.splitlines()), encoding="utf-8")
        args = [str(respaced), "--id", "audit_spaces"]
    elif case == "a_folder":
        folder = tmp_path / "measures"
        folder.mkdir()
        args = [str(folder), "--id", "folder"]
    elif case == "unpadded_date":  # 2021-3-5 would not be a valid xsd:date in the graph
        args = [str(measure_txt), "--id", "county", "--date", "2021-3-5"]
    before = folder_digest(data)
    res = cli("ingest", *args, "--data", str(data))
    assert res.returncode == 2, res.stdout + res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    named = [a for a in args if a.startswith(str(tmp_path))]  # the file(s) at fault
    assert named and all(Path(a).name in res.stderr for a in named), res.stderr
    assert folder_digest(data) == before


def test_review_accepts_and_rejects_suggestions(data, measure_txt):
    assert cli("ingest", str(measure_txt), "--id", "county", "--data", str(data)).returncode == 0
    rows = json.loads(cli("review", "county", "--data", str(data), "--json").stdout)
    auto = next(r for r in rows if r["status"] == "auto" and r["property"] == "statesSituation")
    pending = next(r for r in rows if r["status"] == "pending")
    res = cli("review", "county", "--data", str(data), "--reject", str(auto["number"]),
              "--accept", str(pending["number"]), "--json")
    assert res.returncode == 0, res.stderr
    after = {r["number"]: r["status"] for r in json.loads(res.stdout)}
    assert after[auto["number"]] == "rejected" and after[pending["number"]] == "accepted"
    used = links(data, "county")
    assert not any(p == auto["property"] and c == auto["concept"] and r == _short(auto["ref"]) for r, p, c in used)
    assert (_short(pending["ref"]), pending["property"], pending["concept"]) in used
    bad = cli("review", "county", "--data", str(data), "--accept", "9999")
    assert bad.returncode == 2 and "9999" in bad.stderr
    listed = cli("review", "county", "--data", str(data), "--list", "--status", "rejected")
    from rongcuo_kg.adding.review import described

    said = described(data, "county", [auto])[0]  # listed as a reviewer reads it: citation and labels
    assert listed.returncode == 0 and "rejected: 1" in listed.stdout
    assert said["citation"] in listed.stdout and said["concept_label"] in listed.stdout
    everything = cli("review", "county", "--data", str(data), "--list")
    # every reason in the reviewer's words: clauses cited with their measure's title, no ids, no English
    import re

    assert "相似的已标注条款《" in everything.stdout and "条文用语：" in everything.stdout
    assert not re.search(r"similar annotated|labels:|outside a list|\b[a-z]+/art_\d", everything.stdout)


def test_review_corrects_a_link_the_suggester_got_wrong_or_missed_and_says_who(data, measure_txt):
    """A reviewer adds a concept of any scheme by its Chinese label and changes a link's kind;
    the graph uses both at once; who decided and when is recorded with each decision. Bad
    corrections are one line each, and nothing is written."""
    assert cli("ingest", str(measure_txt), "--id", "county", "--data", str(data)).returncode == 0
    rows = json.loads(cli("review", "county", "--data", str(data), "--json").stdout)
    pending = next(r for r in rows if r["status"] == "pending")
    res = cli("review", "county", "--data", str(data), "--reviewer", "张敏", "--json",
              "--add", "1", "规定程序步骤", "提出申请",
              "--change", str(pending["number"]), "mentionsCondition")
    after = {r["number"]: r for r in json.loads(res.stdout)}
    assert res.returncode == 0, res.stderr
    added = after[max(after)]
    assert (added["ref"], added["property"], added["status"], added["reason"]) == \
        ("art_1", "prescribesStep", "accepted", "added in review")
    assert (after[pending["number"]]["property"], after[pending["number"]]["status"]) == ("mentionsCondition", "accepted")
    used = links(data, "county")
    assert ("1", "prescribesStep", added["concept"]) in used
    assert (_short(pending["ref"]), "mentionsCondition", pending["concept"]) in used
    record = (data / "annotations" / "suggested" / "county.ttl").read_text(encoding="utf-8")
    assert "张敏" in record and "rc:reviewedAt" in record
    before = record
    for args, needle in ((["--add", "1", "statesSituation", "没有这个概念"], "no concept"),
                         (["--add", "99", "statesSituation", added["concept"]], "no clause 99"),
                         (["--add", "1", "情形", added["concept"]], "规定情形"),  # the kinds, by their labels
                         (["--change", "x", "statesSituation"], "--change")):
        bad = cli("review", "county", "--data", str(data), *args)
        assert bad.returncode == 2 and needle in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    assert (data / "annotations" / "suggested" / "county.ttl").read_text(encoding="utf-8") == before


def test_unreviewed_suggestions_of_one_added_measure_are_no_evidence_for_the_next(data, measure_txt, tmp_path):
    """Errors must not compound: a measure added next to an unreviewed one (here, the same text
    under another title) gets no suggestion whose evidence is an unreviewed link; once a link is
    accepted in review it counts like a curated one."""
    from rongcuo_kg.adding.ingest import ingest
    from rongcuo_kg.adding.review import decide, list_suggestions
    from rongcuo_kg.graph.namespaces import BASE

    ingest(measure_txt, data, "county")
    auto = {(r["clause"], r["property"], r["concept"]) for r in list_suggestions(data, "county") if r["status"] == "auto"}
    assert auto
    twin = tmp_path / "twin.txt"
    twin.write_text(MEASURE.replace("某某县", "另一县"), encoding="utf-8")
    second = ingest(twin, data, "twin")
    assert not any(s.neighbour and s.neighbour.startswith(f"{BASE}eli/county/") for s in second.suggestions)
    pending = next(r for r in list_suggestions(data, "county") if r["status"] == "pending")
    decide(data, "county", accept=[pending["number"]], reviewer="张敏")
    third = tmp_path / "third.txt"
    third.write_text(MEASURE.replace("某某县", "第三县"), encoding="utf-8")
    cited = {s.neighbour for s in ingest(third, data, "third").suggestions if s.neighbour}
    assert pending["clause"] in cited


def _short(eid: str) -> str:
    """art_3__para_1__item_1 → 3.1 (the finder's refs)."""
    from rongcuo_kg.text.refs import Ref

    parts = dict(p.split("_", 1) for p in eid.split("__"))
    item = int(parts["item"]) if "item" in parts else None
    para = int(parts["para"]) if "para" in parts else None
    return str(Ref(parts["art"], para if item is None else (para if para != 1 else None), item))


def test_items_in_a_word_table_stay_under_their_article(data, tmp_path):
    """A .docx whose third article lists its situations in a table: the items belong to the
    third article, not to the last one (the body is read in order)."""
    import docx

    doc = docx.Document()
    lines = MEASURE.splitlines()
    items = [i for i, line in enumerate(lines) if line.startswith("（") and i < lines.index(
        next(x for x in lines if x.startswith("第四条")))]
    for i, line in enumerate(lines):
        if i == items[0]:
            table = doc.add_table(rows=len(items), cols=1)
            for row, j in zip(table.rows, items):
                row.cells[0].text = lines[j]
        elif i not in items:
            doc.add_paragraph(line)
    word = tmp_path / "table.docx"
    doc.save(word)
    assert cli("ingest", str(word), "--id", "table", "--data", str(data)).returncode == 0
    shown = cli("show", "table", "3", "--data", str(data)).stdout
    assert "因缺乏经验出现探索性失误" in shown
    assert "探索性" not in cli("show", "table", "7", "--data", str(data)).stdout


def test_lines_a_pdf_wrapped_are_joined_and_new_units_are_not():
    """A line as long as the page that does not end a sentence runs on into the next; an
    article, chapter or item start never does."""
    from rongcuo_kg.text.extract import unwrap_lines

    text = ("第一条 为激励广大干部担当作为、干事创业，建立容错纠错机制，根据有关规定，结\n"
            "合本县实际，制定本办法。\n"
            "第二条 干部在工作中出现失误，有下列情形之一的，可以容错免责，但应当及时向党组\n"
            "（一）在处置突发事件中临机决断出现失误的；\n"
            "第三条 本办法自印发之日起施行。")
    assert unwrap_lines(text).splitlines() == [
        "第一条 为激励广大干部担当作为、干事创业，建立容错纠错机制，根据有关规定，结合本县实际，制定本办法。",
        "第二条 干部在工作中出现失误，有下列情形之一的，可以容错免责，但应当及时向党组",
        "（一）在处置突发事件中临机决断出现失误的；",
        "第三条 本办法自印发之日起施行。"]



def test_a_damaged_suggestions_file_is_named_not_a_traceback(data, measure_txt):
    """Someone edited the suggestions file by hand and broke it: review says which file and line."""
    assert cli("ingest", str(measure_txt), "--id", "county", "--data", str(data)).returncode == 0
    path = data / "annotations" / "suggested" / "county.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\ngarbage {{\n", encoding="utf-8")
    res = cli("review", "county", "--data", str(data))
    assert res.returncode == 2 and "county.ttl:" in res.stderr and "Turtle syntax error" in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


DEFINITION_ONLY = """某某县干部容错纠错办法

第一条 为激励干部担当作为，制定本办法。

第二条 本办法所称容错，是指干部在改革创新中出现失误，但不谋私利、主动纠正的，可以从轻、减轻或者免予追究责任。

第三条 有下列情形之一的，可以容错：
（一）在推进改革中先行先试出现失误的；
（二）在处置突发事件中临机决断出现失误的；
（三）其他符合容错情形的。
"""


def test_conditions_stated_in_a_definition_article_become_requirements_once_in_use(data, tmp_path):
    """A measure whose only conditions are in its definition article ("…但不谋私利、主动纠正的，
    可以…"): each one its annotations use is a requirement of its route, citing that article; one
    still waiting for review is not (rules come only from annotations in use), until accepted."""
    text = tmp_path / "xian.txt"
    text.write_text(DEFINITION_ONLY, encoding="utf-8")
    assert cli("ingest", str(text), "--id", "xian", "--data", str(data)).returncode == 0

    def required() -> dict[str, str]:
        routes = json.loads(cli("rules", "xian", "--data", str(data), "--json").stdout)
        return {f: q["clause"]["ref"] for r in routes for q in r["requirements"] for f in q["facts"]}

    in_use = {(c, p, k) for c, p, k in links(data, "xian") if p == "mentionsCondition"}
    assert in_use and required() == {k: "2" for _c, _p, k in in_use}
    pending = [s for s in json.loads(cli("review", "xian", "--data", str(data), "--json").stdout)
               if s["property"] == "mentionsCondition" and s["status"] == "pending"
               and s["concept"] not in required()]
    assert pending  # 主动纠正 is suggested below the threshold: it waits for review
    cli("review", "xian", "--accept", str(pending[0]["number"]), "--data", str(data))
    assert required()[pending[0]["concept"]] == "2"  # accepted in review: now required too
    register = tmp_path / "r.csv"
    register.write_text("case_id,measure,subject,date,situations,issue_key,description,no_improper_benefit\n"
                        "X1,xian,某局,2024-05-01,emergency,x-1,临机决断,false\n", encoding="utf-8")
    case = json.loads(cli("validate", str(register), "--data", str(data), "--json").stdout)["cases"][0]
    assert case["outcome"] == "not_tolerable" and case["provisional"] is True
    assert [v["clause"]["article"] for v in case["violations"]] == ["2"]


# ---------------------------------------------------------------- a corpus that survives (issue 16)


def test_a_measure_numbered_past_999_is_added_and_every_command_still_works(data, tmp_path):
    """One article of 1,000 paragraphs and a text of 1,005 articles: kept as numbered, cited
    第一千零一款 / 第一千零五条, and build, stats, show, find and validate go on working."""
    from rongcuo_kg.text.numerals import to_chinese

    long_para = tmp_path / "long.txt"
    long_para.write_text("某县容错纠错实施办法\n第一条 有下列情形之一的，可以容错：\n（一）先行先试出现失误的；\n"
                         "（二）因不可抗力造成损失的。\n第二条 有下列情形之一的，不予容错：（一）谋取私利的。\n"
                         + "".join(f"第{i}段说明。\n" for i in range(1, 1000)), encoding="utf-8")
    res = cli("ingest", str(long_para), "--id", "longpara", "--data", str(data))
    assert res.returncode == 0, res.stderr
    many = tmp_path / "many.txt"
    many.write_text("某市容错纠错实施办法\n第一条 有下列情形之一的，可以容错：（一）先行先试出现失误的。\n"
                    + "".join(f"第{to_chinese(i)}条 第{i}条的内容。\n" for i in range(2, 1006)), encoding="utf-8")
    res = cli("ingest", str(many), "--id", "many", "--data", str(data), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["articles"] == 1005
    mode = (data / "corpus" / "audit.txt").stat().st_mode & 0o777  # ingested files like the rest
    assert {(data / "corpus" / f"many{ext}").stat().st_mode & 0o777 for ext in (".txt", ".json")} == {mode}
    out = cli("show", "many", "1005", "--data", str(data))
    assert out.returncode == 0 and "第一千零五条" in out.stdout, out.stderr
    out = cli("show", "longpara", "2.p1000", "--data", str(data))
    assert out.returncode == 0 and "第二条第一千款" in out.stdout, out.stderr
    for args in (("stats",), ("find", "先行先试出现失误"), ("build", "--out", str(tmp_path / "g.ttl")),
                 ("validate", str(Path(__file__).parent / "cases" / "guian.csv"))):
        res = cli(*args, "--data", str(data))
        assert res.returncode in (0, 1) and "Traceback" not in res.stderr, (args, res.stderr)


def test_a_new_measure_that_does_not_build_is_refused_and_nothing_is_written(data, tmp_path):
    """ingest builds and queries the new measure alone in a scratch folder first: what fails
    there (here its annotations) is refused with one line, and the corpus is left as it was."""
    from rongcuo_kg.adding.ingest import try_in_scratch
    from rongcuo_kg.errors import BadInput

    before = folder_digest(data)
    text = "某县容错纠错实施办法\n第一条 先行先试出现失误的，可以容错。\n"
    meta = json.dumps({"id": "broken", "title": "某县容错纠错实施办法"}, ensure_ascii=False)
    files = {data / "corpus" / "broken.txt": text, data / "corpus" / "broken.json": meta,
             data / "annotations" / "broken.ttl": "@prefix x: <urn:x#> .\nx:a x:b \"open .\n"}
    with pytest.raises(BadInput, match="does not build"):
        try_in_scratch(files, data, "broken", tmp_path / "broken.txt")
    assert folder_digest(data) == before


def test_a_broken_file_leaves_its_measure_out_and_the_rest_working(data):
    """A damaged annotation file of one measure: that measure is left out with a warning naming
    the file and line; the others answer find and validate; its cases are invalid records (their
    measure is not in the graph), never decided on half a graph; `build` still refuses (exit 2)."""
    (data / "annotations" / "audit.ttl").write_text("@prefix x: <urn:x#> .\nx:a x:b \"open .\n", encoding="utf-8")
    found = cli("find", "招商引资中大胆履职出现失误", "--data", str(data), "--json")
    assert found.returncode == 0, found.stderr
    assert "audit.ttl:2" in found.stderr and "未载入" in found.stderr
    assert {r["measure"] for r in json.loads(found.stdout)["results"]} <= {"guian", "enforcement"}
    cases = Path(__file__).parent / "cases"
    ok = cli("validate", str(cases / "guian.csv"), "--data", str(data), "--json")
    assert ok.returncode in (0, 1) and json.loads(ok.stdout)["summary"]["cases"] == 24
    left = cli("validate", str(cases / "audit.csv"), "--data", str(data), "--json")
    assert "Traceback" not in left.stderr and left.returncode == 1, left.stderr
    outcomes = {c["outcome"] for c in json.loads(left.stdout)["cases"]}
    assert outcomes == {"invalid"}, outcomes
    stats = cli("stats", "--data", str(data), "--json")
    assert stats.returncode == 0 and sorted(json.loads(stats.stdout)["measures"]) == ["enforcement", "guian"]
    assert cli("build", "--data", str(data), "--out", str(data / "g.ttl")).returncode == 2


def test_a_checklists_closing_conditions_decide_its_cases_cited_as_its_closing_text(data, tmp_path):
    """A 清单 added with ingest: its 结语 is a clause of the graph (`show … 结语`), the conditions
    listed there are required of its cases, and a case that fails one is told so citing 《…》结语."""
    import csv

    from test_suggest import CHECKLIST_WITH_CLOSING_TEXT

    source = tmp_path / "qingdan.txt"
    source.write_text(CHECKLIST_WITH_CLOSING_TEXT, encoding="utf-8")
    assert cli("ingest", str(source), "--id", "qingdan", "--data", str(data)).returncode == 0
    shown = cli("show", "qingdan", "结语", "--data", str(data))
    assert shown.returncode == 0 and "《临川县容错免责事项清单》结语" in shown.stdout
    assert "（二）没有与他人恶意串通。" in shown.stdout
    register = tmp_path / "cases.csv"
    head = ["case_id", "measure", "subject", "date", "situations", "issue_key", "description",
            "democratic_decision", "no_collusion", "no_improper_benefit"]
    with register.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        w.writerow(["Q1", "qingdan", "某局", "2024-03-01", "emergency", "q-1", "临机决断失误", "true", "true", "true"])
        w.writerow(["Q2", "qingdan", "某局", "2024-03-01", "emergency", "q-2", "与他人串通", "true", "false", "true"])
    res = cli("validate", str(register), "--data", str(data), "--json")
    assert "Traceback" not in res.stderr, res.stderr
    cases = {c["case_id"]: c for c in json.loads(res.stdout)["cases"]}
    assert cases["Q1"]["outcome"] == "exemption"
    assert cases["Q2"]["outcome"] != "exemption"
    assert "结语" in json.dumps(cases["Q2"], ensure_ascii=False)


def test_review_takes_a_measure_id_never_a_path(data, tmp_path):
    """`review ../../elsewhere` is refused as no measure id (exit 2): nothing outside the corpus
    folder is read or written."""
    outside = tmp_path / "trav" / "suggested"
    outside.mkdir(parents=True)
    (outside / "evil.ttl").write_text("# not ours\n", encoding="utf-8")
    before = folder_digest(tmp_path / "trav")
    for args in (("--list",), ("--accept", "1")):
        res = cli("review", "../../trav/suggested/evil", *args, "--data", str(data))
        assert res.returncode == 2 and "no measure id" in res.stderr and "Traceback" not in res.stderr
    assert folder_digest(tmp_path / "trav") == before


def test_an_output_that_is_a_link_a_pipe_a_device_or_an_input_is_refused(data, tmp_path, measure_txt):
    """build --out onto a symlink, a FIFO or /dev/full, and ingest --out onto its own input: one
    line, exit 2, and the link's target, the pipe and the input are left as they were."""
    import os

    target = tmp_path / "target.ttl"
    target.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for out in (link, fifo, Path("/dev/full")):
        res = cli("build", "--out", str(out), "--data", str(data))
        assert res.returncode == 2 and "not a plain file" in res.stderr, (out, res.stderr)
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep\n" and fifo.is_fifo()
    original = measure_txt.read_bytes()
    res = cli("ingest", str(measure_txt), "--out", str(measure_txt))
    assert res.returncode == 2 and "is an input" in res.stderr and measure_txt.read_bytes() == original


@pytest.mark.parametrize("make, said", [("docx_laughs", "not a readable Word document"),
                                        ("docx_bomb", "over the 50 MB limit"),
                                        ("locked_pdf", "encrypted"),
                                        ("long_pdf", "over the 300 a measure may have")])
def test_a_hostile_measure_file_is_one_line_and_nothing_is_written(data, tmp_path, make, said):
    """An entity bomb in a .docx, a .docx that unpacks to 200 MB, an encrypted PDF, a PDF of 301
    pages: one line naming the file, exit 2, the corpus untouched."""
    from hostile import files as hostile

    source = getattr(hostile, make)(tmp_path)
    before = folder_digest(data)
    res = cli("ingest", str(source), "--id", "hostile", "--data", str(data))
    assert res.returncode == 2 and said in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert folder_digest(data) == before


def test_small_refusals_say_what_is_wrong(data, tmp_path):
    """A pipe given as the measure file, a 65-character id, a file given as --store: each one line,
    exit 2, saying what is wrong with it."""
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    res = cli("ingest", str(fifo), "--data", str(data))
    assert res.returncode == 2 and "not a regular file" in res.stderr
    source = tmp_path / "m.txt"
    source.write_text(MEASURE, encoding="utf-8")
    res = cli("ingest", str(source), "--id", "a" * 65, "--data", str(data))
    assert res.returncode == 2 and "1–64" in res.stderr
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    res = cli("query", "measures", "--store", str(afile), "--data", str(data))
    assert res.returncode == 2 and "not a store folder" in res.stderr


def test_rdf_of_a_word_document_is_read_as_ingest_reads_it(tmp_path):
    """`ingest x.docx --rdf` writes the RDF of the Word document's text (it said "cannot decode")."""
    import docx

    d = docx.Document()
    for line in ("某县容错办法", "第一条 为激励干部担当作为，制定本办法。", "第二条 本办法自印发之日起施行。"):
        d.add_paragraph(line)
    path = tmp_path / "m.docx"
    d.save(path)
    res = cli("ingest", str(path), "--rdf")
    assert res.returncode == 0 and "本办法自印发之日起施行" in res.stdout


# ---------------------------------------------------------------- killed midway (issue 16, item 6)

COMMIT_STEPS = 10  # four files staged, the journal staged and put in place, four files moved


def corpus_state(data: Path, mid: str) -> str:
    """'old' (nothing of the measure), 'new' (all four files) or a description of the mess."""
    files = [data / "corpus" / f"{mid}.txt", data / "corpus" / f"{mid}.json",
             data / "annotations" / f"{mid}.ttl", data / "annotations" / "suggested" / f"{mid}.ttl"]
    present = [f.exists() for f in files]
    return "new" if all(present) else "old" if not any(present) else f"half: {present}"


@pytest.mark.parametrize("step", range(1, COMMIT_STEPS + 1))
def test_an_ingest_killed_at_any_step_leaves_the_old_or_the_new_corpus(data, measure_txt, step):
    """SIGKILL at each step of writing a new measure: the next command finds the folder with the
    measure wholly absent or wholly present (a decided change is finished), it builds, and adding
    the measure again is refused only if it is there."""
    import os

    env = {**os.environ, "RONGCUO_FAILPOINT": str(step)}
    killed = subprocess.run([*CLI, "ingest", str(measure_txt), "--id", "county", "--data", str(data)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert killed.returncode == -9, (step, killed.returncode, killed.stderr[-300:])
    stats = cli("stats", "--data", str(data), "--json")
    assert stats.returncode == 0, stats.stderr
    state = corpus_state(data, "county")
    assert state in ("old", "new"), state
    assert ("county" in json.loads(stats.stdout)["measures"]) == (state == "new")
    again = cli("ingest", str(measure_txt), "--id", "county", "--data", str(data))
    assert (again.returncode == 0) == (state == "old"), again.stderr
    assert corpus_state(data, "county") == "new"


@pytest.mark.parametrize("step", range(1, 7))
def test_a_review_killed_at_any_step_saves_all_of_it_or_none(data, measure_txt, step):
    """SIGKILL at each step of saving a review decision: afterwards the suggestion's status and the
    links the graph loads agree — both before the decision or both after it."""
    import os

    assert cli("ingest", str(measure_txt), "--id", "county", "--data", str(data)).returncode == 0
    from rongcuo_kg.adding.review import list_suggestions

    pending = [r for r in list_suggestions(data, "county") if r["status"] == "pending"][0]
    env = {**os.environ, "RONGCUO_FAILPOINT": str(step)}
    killed = subprocess.run([*CLI, "review", "county", "--accept", str(pending["number"]), "--reviewer", "张敏",
                             "--data", str(data)], capture_output=True, text=True, env=env, timeout=300)
    assert killed.returncode == -9, (step, killed.stderr[-300:])
    status = {r["number"]: r["status"] for r in list_suggestions(data, "county")}[pending["number"]]
    in_graph = (pending["clause"], pending["property"], pending["concept"]) in {
        (u, p, c) for u, p, c in _links_in_annotations(data, "county")}
    assert (status, in_graph) in (("pending", False), ("accepted", True)), (step, status, in_graph)
    assert cli("stats", "--data", str(data)).returncode == 0


def _links_in_annotations(data: Path, mid: str) -> set[tuple[str, str, str]]:
    from rdflib import Graph

    g = Graph().parse(data / "annotations" / f"{mid}.ttl", format="turtle")
    rc = "https://w3id.org/rongcuo-kg/ontology#"
    rcc = "https://w3id.org/rongcuo-kg/concept/"
    return {(str(s), str(p)[len(rc):], str(o)[len(rcc):]) for s, p, o in g
            if str(p).startswith(rc) and str(o).startswith(rcc)}


def test_a_full_disk_leaves_the_corpus_as_it_was(tmp_path, measure_txt):
    """A corpus folder on a small tmpfs with almost no room left: ingest says it cannot write, naming
    the folder, exit 2; no file of the measure and no temporary file is left; the corpus builds."""
    import shutil

    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        data = mount / "data"
        assert cli("init", str(data)).returncode == 0
        free = shutil.disk_usage(mount).free
        (mount / "pad").write_bytes(b"\0" * max(free - 20_000, 0))  # room for 20 KB, not for a measure
        res = cli("ingest", str(measure_txt), "--id", "county", "--data", str(data))
        assert res.returncode == 2 and "cannot write here" in res.stderr and str(data) in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
        assert corpus_state(data, "county") == "old"
        leftovers = [p.name for p in data.rglob(".rk-*")]
        assert leftovers == []
        (mount / "pad").unlink()
        assert cli("stats", "--data", str(data)).returncode == 0
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_an_editors_file_keeps_salted_hashes_only(tmp_path):
    """`rongcuo-kg editor add`: the password (from stdin here) is kept as a salted scrypt hash —
    never in plain text, two editors with one password get different hashes — in a file private to
    its owner; a short password is refused."""
    import os

    from rongcuo_kg.adding.editors import check_login

    path = tmp_path / "editors.json"
    for name in ("张敏", "王芳"):
        res = subprocess.run([*CLI, "editor", "add", name, "--file", str(path)], input="correct horse 1\n",
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert "correct horse" not in path.read_text(encoding="utf-8")
    assert stored["张敏"].startswith("scrypt$") and stored["张敏"] != stored["王芳"]
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert check_login(path, "张敏", "correct horse 1") and not check_login(path, "张敏", "correct horse 2")
    short = subprocess.run([*CLI, "editor", "add", "李明", "--file", str(path)], input="short\n",
                           capture_output=True, text=True, timeout=60)
    assert short.returncode == 2 and "at least 10" in short.stderr
