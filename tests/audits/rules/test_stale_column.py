"""栏目更新不及时 (stale_column): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"


def test_stale_dynamic_column_message_and_evidence(site):
    col = "http://site.test/c/dt/"
    site.column(col, "工作动态", unit="区教体局")
    site.item(col, "http://site.test/d/1", date="2023-11-10", title="旧动态")
    site.item(col, "http://site.test/d/2", date="2023-10-01")
    [f] = site.findings("stale_column", AS_OF)
    assert f.message == "「区教体局/工作动态」栏目最近更新于2023-11-10，超过两周未更新"
    assert f.evidence["window"] == "14d" and f.evidence["window_start"] == "2023-11-16"
    assert f.evidence["newest_title"] == "旧动态" and f.evidence["class"] == "dynamic"


def test_column_just_inside_its_window_is_not_stale(site):
    dyn, pol, plan = "http://site.test/c/dt/", "http://site.test/c/zcwj/", "http://site.test/c/gh/"
    site.column(dyn, "部门动态").item(dyn, "http://site.test/d/1", date="2023-11-16")       # exactly 14 days
    site.column(pol, "政策文件").item(pol, "http://site.test/d/2", date="2023-05-30")       # exactly 6 months
    site.column(plan, "规划计划").item(plan, "http://site.test/d/3", date="2022-11-30")     # exactly 12 months
    assert site.findings("stale_column", AS_OF) == []
    # one day older each: all three stale
    assert len(site.findings("stale_column", "2023-12-01")) == 3


def test_month_window_clips_to_month_end(site):
    col = "http://site.test/c/tz/"
    site.column(col, "通知公告").item(col, "http://site.test/d/1", date="2023-02-28")
    assert site.findings("stale_column", "2023-08-31") == []
    assert len(site.findings("stale_column", "2023-09-01")) == 1


def test_historical_topic_and_report_columns_have_no_window(site):
    topic = "http://site.test/c/zt/"
    site.column(topic, "疫情防控专题", kind="hub", is_leaf=False)
    site.column("http://site.test/c/zt/dt/", "工作动态", parent=topic).item(
        "http://site.test/c/zt/dt/", "http://site.test/d/1", date="2020-03-01")
    site.column("http://site.test/c/nb/", "政府信息公开年报").item(
        "http://site.test/c/nb/", "http://site.test/d/2", date="2021-01-20")
    site.column("http://site.test/c/ls/", "历史文件").item("http://site.test/c/ls/", "http://site.test/d/3",
                                                           date="2015-01-01")
    site.column("http://site.test/c/cz/", "财政预决算").item("http://site.test/c/cz/", "http://site.test/d/4",
                                                             date="2019-01-01")
    assert site.findings("stale_column", AS_OF) == []


def test_class_comes_from_parent_when_own_name_has_none(site):
    parent = "http://site.test/c/gfxwj/"
    site.column(parent, "规范性文件", kind="hub", is_leaf=False)
    site.column("http://site.test/c/gfxwj/2022/", "2022年", parent=parent).item(
        "http://site.test/c/gfxwj/2022/", "http://site.test/d/1", date="2022-12-20")
    [f] = site.findings("stale_column", AS_OF)
    assert f.evidence["class"] == "notice_policy" and "超过半年未更新" in f.message


def test_undated_items_count_as_not_updated(site):
    col = "http://site.test/c/tz/"
    site.column(col, "通知公告").item(col, "http://site.test/d/1", date=None)
    [f] = site.findings("stale_column", AS_OF)
    assert "均未标注发布日期" in f.message and f.evidence["undated_items"] == 1


def test_an_item_the_list_shows_undated_may_be_dated_by_its_page(site):
    fresh, stale = "http://site.test/c/tz/", "http://site.test/c/gg/"
    site.column(fresh, "通知公告").item(fresh, "http://site.test/d/1", date=None)
    site.doc("http://site.test/d/1", "某通知", column_url=fresh, publish_date="2023-09-01")
    site.column(stale, "公示公告").item(stale, "http://site.test/d/2", date=None)
    site.doc("http://site.test/d/2", "某公示", column_url=stale, publish_date="2023-01-05")
    # rules.md: an item the list shows undated is not updated, whatever its page says
    assert sorted(f.url for f in site.findings("stale_column", AS_OF)) == [stale, fresh]
    [f] = site.findings("stale_column", AS_OF, **{"columns.undated_items_use_page_date": True})
    assert f.url == stale and f.evidence["newest_date"] == "2023-01-05"
    assert f.evidence["newest_date_from"] == "信息页面" and f.evidence["undated_items"] == 0
    assert f.message == "「公示公告」栏目最近更新于2023-01-05，超过半年未更新（列表未标注日期，以信息页面所示发布日期计）"


def test_profile_override_changes_class_and_window(site):
    col = "http://site.test/c/x/"
    site.column(col, "其他信息", overrides={"class": "dynamic"}).item(col, "http://site.test/d/1", date="2023-10-01")
    site.column("http://site.test/c/y/", "工作动态", overrides={"no_update_window": True}).item(
        "http://site.test/c/y/", "http://site.test/d/2", date="2020-01-01")
    assert [f.url for f in site.findings("stale_column", AS_OF)] == [col]
    # the audit configuration can correct a column too, by name, URL or path glob
    found = site.findings("stale_column", AS_OF, **{"columns.overrides": [{"match": "其他信息", "class": "none"}]})
    assert found == []


def test_threshold_override_changes_window(site):
    col = "http://site.test/c/dt/"
    site.column(col, "工作动态").item(col, "http://site.test/d/1", date="2023-11-10")
    assert len(site.findings("stale_column", AS_OF)) == 1
    assert site.findings("stale_column", AS_OF, **{"columns.classes.dynamic.window": "30d"}) == []


def test_items_dated_after_as_of_do_not_count(site):
    col = "http://site.test/c/dt/"
    site.column(col, "工作动态").item(col, "http://site.test/d/1", date="2023-10-01")
    site.item(col, "http://site.test/d/2", date="2024-01-01")
    [f] = site.findings("stale_column", AS_OF)
    assert f.evidence["newest_date"] == "2023-10-01" and f.evidence["future_dated_items"] == 1
