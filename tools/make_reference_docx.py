"""Generate specgen/templates/reference.docx from python-docx's default template, reproducibly.

Run from anywhere: `python tools/make_reference_docx.py [OUT]`. The result depends only on the
installed python-docx's default.docx and on this script: parts Word does not need are dropped
(thumbnail, customXml, stylesWithEffects, unused table styles, rsids), and the styles get the
house look of a Japanese specification: A4 portrait with 35/30/30/30 mm margins, 10.5 pt 游明朝
body text, 游ゴシック headings (the fonts a municipal Windows PC has; ＭＳ 明朝 / ＭＳ ゴシック are
their alternatives in the font table), justified paragraphs with Japanese line breaking, each
chapter on a new page, and a grid table style.
"""

from __future__ import annotations

import io
import posixpath
import sys
import zipfile
from pathlib import Path

import docx
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from specgen.render.docx import normalise_zip, oxml  # noqa: E402

SOURCE = Path(docx.__file__).parent / "templates" / "default.docx"
TARGET = ROOT / "specgen" / "templates" / "reference.docx"

W = oxml.W_NS
NS = {"w": W}
DROPPED = {
    "docProps/thumbnail.jpeg",
    "customXml/item1.xml",
    "customXml/itemProps1.xml",
    "customXml/_rels/item1.xml.rels",
    "word/stylesWithEffects.xml",
}
KEPT_TABLE_STYLES = {"TableNormal", "TableGrid"}
BODY, HEADING, CODE = oxml.BODY_FONT, oxml.HEADING_FONT, oxml.CODE_FONT


def fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:eastAsia="{face}" w:hAnsi="{face}" w:cs="{face}"/>'


DOC_DEFAULTS = f"""
<w:docDefaults>
  <w:rPrDefault><w:rPr>
    {fonts(BODY)}<w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="21"/>
    <w:lang w:val="ja-JP" w:eastAsia="ja-JP" w:bidi="ar-SA"/>
  </w:rPr></w:rPrDefault>
  <w:pPrDefault><w:pPr>
    <w:spacing w:after="60" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/>
  </w:pPr></w:pPrDefault>
</w:docDefaults>
"""


def heading(level: int, size: int, before: int, after: int) -> str:
    return f"""
<w:style w:type="paragraph" w:styleId="Heading{level}">
  <w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:link w:val="Heading{level}Char"/><w:uiPriority w:val="9"/>
  {"" if level == 1 else "<w:unhideWhenUsed/>"}<w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/>{"<w:pageBreakBefore/>" if level == 1 else ""}
    <w:spacing w:before="{before}" w:after="{after}"/>
    <w:jc w:val="left"/><w:outlineLvl w:val="{level - 1}"/></w:pPr>
  <w:rPr>{fonts(HEADING)}<w:b/><w:bCs/><w:color w:val="000000"/>
    <w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>
</w:style>"""


def toc(level: int) -> str:
    return f"""
<w:style w:type="paragraph" w:styleId="TOC{level}">
  <w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="39"/><w:unhideWhenUsed/>
  <w:pPr><w:spacing w:after="0"/><w:ind w:left="{210 * (level - 1)}"/></w:pPr>
</w:style>"""


STYLES = [
    """
<w:style w:type="paragraph" w:styleId="Closing">
  <w:name w:val="Closing"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>
  <w:pPr><w:spacing w:before="360"/><w:jc w:val="right"/></w:pPr>
</w:style>""",
    heading(1, 32, 480, 240),
    heading(2, 26, 360, 120),
    heading(3, 23, 240, 60),
    heading(4, 21, 180, 60),
    heading(5, 21, 120, 0),
    heading(6, 21, 120, 0),
    f"""
<w:style w:type="paragraph" w:styleId="Title">
  <w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:link w:val="TitleChar"/><w:uiPriority w:val="10"/><w:qFormat/>
  <w:pPr><w:spacing w:before="2400" w:after="480"/><w:jc w:val="center"/></w:pPr>
  <w:rPr>{fonts(HEADING)}<w:b/><w:bCs/><w:kern w:val="28"/>
    <w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr>
</w:style>""",
    f"""
<w:style w:type="paragraph" w:styleId="Subtitle">
  <w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:link w:val="SubtitleChar"/><w:uiPriority w:val="11"/><w:qFormat/>
  <w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/></w:pPr>
  <w:rPr>{fonts(HEADING)}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>
</w:style>""",
    """
<w:style w:type="paragraph" w:styleId="Quote">
  <w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:link w:val="QuoteChar"/><w:uiPriority w:val="29"/><w:qFormat/>
  <w:pPr><w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="A6A6A6"/></w:pBdr>
    <w:ind w:left="420" w:right="420"/></w:pPr>
  <w:rPr><w:color w:val="404040"/></w:rPr>
</w:style>""",
    f"""
<w:style w:type="paragraph" w:styleId="SourceCode">
  <w:name w:val="Source Code"/><w:basedOn w:val="Normal"/><w:link w:val="VerbatimChar"/>
  <w:qFormat/>
  <w:pPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>
    <w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr>
  <w:rPr>{fonts(CODE)}<w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>""",
    f"""
<w:style w:type="character" w:customStyle="1" w:styleId="VerbatimChar">
  <w:name w:val="Verbatim Char"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:link w:val="SourceCode"/>
  <w:rPr>{fonts(CODE)}<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:rPr>
</w:style>""",
    """
<w:style w:type="character" w:styleId="Hyperlink">
  <w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>
</w:style>""",
    """
<w:style w:type="paragraph" w:styleId="Footer">
  <w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:link w:val="FooterChar"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:tabs><w:tab w:val="center" w:pos="4252"/><w:tab w:val="right" w:pos="8504"/></w:tabs>
    <w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>""",
    """
<w:style w:type="paragraph" w:styleId="Header">
  <w:name w:val="header"/><w:basedOn w:val="Normal"/><w:link w:val="HeaderChar"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:tabs><w:tab w:val="center" w:pos="4252"/><w:tab w:val="right" w:pos="8504"/></w:tabs>
    <w:spacing w:after="0"/></w:pPr>
</w:style>""",
    """
<w:style w:type="paragraph" w:styleId="ListParagraph">
  <w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/>
  <w:qFormat/><w:pPr><w:spacing w:after="0"/><w:ind w:left="420"/></w:pPr>
</w:style>""",
    """
<w:style w:type="table" w:styleId="TableGrid">
  <w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>
  <w:tblPr><w:tblInd w:w="0" w:type="dxa"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
      <w:bottom w:w="28" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
</w:style>""",
    toc(1),
    toc(2),
    toc(3),
]

SECTION = """
<w:sectPr>
  <w:pgSz w:w="11906" w:h="16838"/>
  <w:pgMar w:top="1985" w:right="1701" w:bottom="1701" w:left="1701" w:header="851"
    w:footer="992" w:gutter="0"/>
  <w:cols w:space="425"/>
  <w:docGrid w:linePitch="360"/>
</w:sectPr>"""

FONTS = [
    (BODY, "ＭＳ 明朝", "roman", "variable"),
    (HEADING, "ＭＳ ゴシック", "swiss", "variable"),
    (CODE, "MS Gothic", "modern", "fixed"),
]

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Application>specgen</Application>
<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>
<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties
 xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:dcmitype="http://purl.org/dc/dcmitype/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title/><dc:creator/>
<cp:revision>1</cp:revision></cp:coreProperties>"""


def fragment(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:root xmlns:w="{W}">{xml}</w:root>')[0]


def strip_rsids(root: etree._Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in (f"{{{W}}}rsid", f"{{{W}}}rsids"):
            element.getparent().remove(element)
            continue
        for attr in [a for a in element.attrib if a.startswith(f"{{{W}}}rsid")]:
            del element.attrib[attr]


def make_styles(root: etree._Element) -> None:
    old = root.find("w:docDefaults", NS)
    old.getparent().replace(old, fragment(DOC_DEFAULTS))
    by_id = {s.get(f"{{{W}}}styleId"): s for s in root.findall("w:style", NS)}
    for style_id, style in by_id.items():
        if style.get(f"{{{W}}}type") == "table" and style_id not in KEPT_TABLE_STYLES:
            root.remove(style)
    for xml in STYLES:
        style = fragment(xml)
        existing = by_id.get(style.get(f"{{{W}}}styleId"))
        if existing is not None and existing.getparent() is not None:
            root.replace(existing, style)
        else:
            root.append(style)
    oxml.replace_theme_fonts(root, oxml.theme_fonts(None))
    oxml.prepare_doc_defaults(root, language="ja")


def make_settings(root: etree._Element) -> None:
    for name in ("proofState", "rsids", "savePreviewPicture"):
        for element in root.findall(f"w:{name}", NS):
            root.remove(element)
    root.find("w:defaultTabStop", NS).set(f"{{{W}}}val", "840")
    oxml.prepare_settings(root)


def make_document(root: etree._Element) -> None:
    body = root.find("w:body", NS)
    for child in list(body):
        body.remove(child)
    body.append(fragment(SECTION))


def make_font_table(root: etree._Element) -> None:
    present = {font.get(f"{{{W}}}name") for font in root}
    for name, alternative, family, pitch in FONTS:
        if name in present:
            continue
        font = etree.SubElement(root, f"{{{W}}}font", {f"{{{W}}}name": name})
        for tag, value in (
            ("altName", alternative),
            ("charset", "80"),
            ("family", family),
            ("pitch", pitch),
        ):
            etree.SubElement(font, f"{{{W}}}{tag}", {f"{{{W}}}val": value})


XML_EDITS = {
    "word/styles.xml": make_styles,
    "word/settings.xml": make_settings,
    "word/document.xml": make_document,
    "word/fontTable.xml": make_font_table,
}


def drop_relationships(name: str, root: etree._Element) -> None:
    base = posixpath.dirname(posixpath.dirname(name))
    for rel in list(root):
        target = posixpath.normpath(posixpath.join(base, rel.get("Target")))
        if target.lstrip("/") in DROPPED:
            root.remove(rel)


def drop_content_types(root: etree._Element) -> None:
    for entry in list(root):
        if entry.get("PartName", "").lstrip("/") in DROPPED or entry.get("Extension") == "jpeg":
            root.remove(entry)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def build() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(SOURCE) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name in DROPPED:
                continue
            blob = source.read(name)
            if name == "docProps/app.xml":
                blob = APP.encode()
            elif name == "docProps/core.xml":
                blob = CORE.encode()
            elif name.endswith(".xml") or name.endswith(".rels"):
                root = etree.fromstring(blob, etree.XMLParser(remove_blank_text=True))
                strip_rsids(root)
                if name in XML_EDITS:
                    XML_EDITS[name](root)
                elif name.endswith(".rels"):
                    drop_relationships(name, root)
                elif name == "[Content_Types].xml":
                    drop_content_types(root)
                blob = serialize(root)
            target.writestr(name, blob)
    return normalise_zip(out.getvalue())


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    target.write_bytes(build())
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
