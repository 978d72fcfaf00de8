"""The name a downloaded file is read by (crawler.files.names)."""
import pytest

from crawler.files.names import disposition_name, file_name

NAME = "公示名单.xls"


@pytest.mark.parametrize("header", [
    b'attachment; filename="' + NAME.encode("gbk") + b'"',
    b'attachment; filename="' + NAME.encode("utf-8") + b'"',
    b"attachment; filename*=UTF-8''%E5%85%AC%E7%A4%BA%E5%90%8D%E5%8D%95.xls",
    b"attachment; filename=%E5%85%AC%E7%A4%BA%E5%90%8D%E5%8D%95.xls",
    b"attachment; filename*=GBK''%B9%AB%CA%BE%C3%FB%B5%A5.xls",
    b'attachment; filename="fallback.xls"; filename*=UTF-8\'\'%E5%85%AC%E7%A4%BA%E5%90%8D%E5%8D%95.xls',
    b'attachment; filename="D:\\upload\\' + NAME.encode("gbk") + b'"',
])
def test_content_disposition_names_the_file_as_servers_write_it(header):
    assert disposition_name(header) == NAME


def test_without_a_header_the_url_names_the_file_then_the_link_text():
    assert disposition_name(None) == "" and disposition_name(b"inline") == ""
    assert file_name("http://x.gov.cn/uploadfiles/2023/05/12/20230512093015123.xlsx") == "20230512093015123.xlsx"
    assert file_name("http://x.gov.cn/down.jsp?filename=a.pdf") == "a.pdf"
    # A handler URL names no file: a link text ending in a file's extension does.
    assert file_name("http://x.gov.cn/download.jsp?fileId=123", None, "公示名单.xls") == NAME
    assert file_name("http://x.gov.cn/download.jsp?fileId=123", None, "公示名单") == "123"
    assert file_name("http://x.gov.cn/download.jsp?fileId=123", b'attachment; filename="a.pdf"', NAME) == "a.pdf"
