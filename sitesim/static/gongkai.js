/* Channel lists of the 政府信息公开 platform: fetched from the list endpoint, JSON or HTML fragment. */
var gkList = {
  load: function (cfg, url) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.onload = function () {
      var box = document.getElementById(cfg.target), pager = document.getElementById(cfg.pager);
      if (cfg.format === "json") {
        var res = JSON.parse(xhr.responseText), html = "<ul class='list'>";
        if (!res.total) { box.innerHTML = "<div class='no-data'>暂无信息</div>"; return; }
        res.data.forEach(function (d) {
          var t = d.title.length > 28 ? d.title.slice(0, 27) + "…" : d.title;
          html += "<li><a target='_blank' href='" + d.url + "' title='" + d.title + "'>" + t + "</a><span class='date'>" + d.publishDate + "</span></li>";
        });
        box.innerHTML = html + "</ul>";
        gkList.pager(cfg, url, res.page, res.pages, pager);
      } else {
        box.innerHTML = xhr.responseText;
        var info = box.querySelector(".page-info");
        if (info) gkList.pager(cfg, url, +info.dataset.page, +info.dataset.pages, pager);
      }
    };
    xhr.send();
  },
  pager: function (cfg, url, page, pages, el) {
    var html = "";
    for (var i = 1; i <= pages; i++) {
      html += i === page ? "<b>" + i + "</b> " : "<a href='javascript:void(0)' data-p='" + i + "'>" + i + "</a> ";
    }
    el.innerHTML = html;
    el.onclick = function (ev) {
      var p = ev.target.getAttribute("data-p");
      if (p) gkList.load(cfg, url.replace(/page=\d+/, "page=" + p));
    };
  }
};
