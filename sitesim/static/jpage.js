/* Hanweb jpage: renders the inline <datastore> and fetches further records from dataproxy.jsp.
   Called as real Hanweb pages call the jQuery plugin: $('#unitid').jpage({totalRecord, perPage, param}). */
function $(selector) { return { jpage: function (opt) { jpage(selector.replace(/^#/, ""), opt); } }; }
function jpage(id, opt) {
  var box = document.getElementById(id), xml = box.querySelector("script[type='text/xml']");
  var list = document.createElement("ul"); list.className = "list"; box.appendChild(list);
  function show(text) {
    var recs = text.match(/<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g) || [];
    list.innerHTML = recs.slice(0, opt.perPage).map(function (r) { return r.replace(/^<record><!\[CDATA\[|\]\]><\/record>$/g, ""); }).join("");
  }
  show(xml.textContent);
  var pages = Math.ceil(opt.totalRecord / opt.perPage), pager = document.createElement("div");
  pager.className = "pager"; box.appendChild(pager);
  for (var i = 1; i <= pages; i++) {
    var a = document.createElement("a"); a.href = "javascript:void(0)"; a.textContent = i; a.dataset.p = i; pager.appendChild(a);
  }
  pager.onclick = function (ev) {
    var p = +ev.target.dataset.p; if (!p) return;
    var s = (p - 1) * opt.perPage + 1, body = Object.keys(opt.param).map(function (k) { return k + "=" + encodeURIComponent(opt.param[k]); }).join("&");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/module/web/jpage/dataproxy.jsp?startrecord=" + s + "&endrecord=" + (s + opt.perPage - 1) + "&perpage=" + opt.perPage);
    xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    xhr.onload = function () { show(xhr.responseText); };
    xhr.send(body);
  };
}
