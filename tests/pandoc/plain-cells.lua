-- Table cells as plain text (pandoc's MediaWiki reader makes each cell a paragraph, which
-- only grid and HTML tables can hold); with plain cells pandoc writes every table form
-- its writer has: pipe, simple and multiline tables too.
function Table(tbl)
  return tbl:walk { Para = function(p) return pandoc.Plain(p.content) end }
end
