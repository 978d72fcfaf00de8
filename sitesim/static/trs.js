/* TRS WCM pager: page 0 is index.html, page i is index_i.html. */
function createPageHTML(nPageCount, nCurrIndex, sPageName, sPageExt) {
  if (nPageCount <= 1) return;
  var html = "";
  for (var i = 0; i < nPageCount; i++) {
    var href = i === 0 ? sPageName + "." + sPageExt : sPageName + "_" + i + "." + sPageExt;
    html += i === nCurrIndex ? "<span>" + (i + 1) + "</span> " : "<a href='" + href + "'>" + (i + 1) + "</a> ";
  }
  document.write(html);
}
