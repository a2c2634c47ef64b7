--[[
Ranges and dashed names kept on one line, without an invisible character in the text (pandoc 3 Lua filter;
Quarto runs it as a user filter, the fallback renderer as Quarto does).

The pipeline marks every piece of text a line must not break ("1971–2014", "0.97–1.54", "Boix–Miller–Rosato")
with a word joiner (U+2060) after its en dash (backlash.formats.unbroken_ranges). A joiner prints nothing, but
it stays in the output: a reader who copies "1971–2014" from the PDF or the HTML, or searches for it, gets or
misses a hidden character. This filter takes each word that holds a joiner and writes it without one, in the
output format's own way of forbidding a break:

* Typst: the word in a box, ``#box[#"1971–2014"];`` (a box is never broken; the string literal needs no
  escaping of markup, and the semicolon ends the expression, so a following "(" or "[" stays text);
* HTML: the word in ``<span class="nowrap">`` (paper/style.css: ``white-space: nowrap``);
* any other format: the word without its joiners.

Code (inline or a block) and link targets drop their joiners: they are set as typed, and a joiner in a URL
would break the link.
]]

local JOINER = "\u{2060}"

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

function Str(el)
  if not el.text:find(JOINER, 1, true) then
    return nil
  end
  local plain = el.text:gsub(JOINER, "")
  if FORMAT:match("typst") then
    return pandoc.RawInline("typst", "#box[#" .. typst_string(plain) .. "];")
  elseif FORMAT:match("html") then
    return pandoc.Span(pandoc.Str(plain), pandoc.Attr("", { "nowrap" }))
  end
  return pandoc.Str(plain)
end

-- The element with the joiners of its ``field`` dropped (nil, for "unchanged", when it has none).
local function dropping(field)
  return function(el)
    if not el[field]:find(JOINER, 1, true) then
      return nil
    end
    el[field] = el[field]:gsub(JOINER, "")
    return el
  end
end

Code = dropping("text")
CodeBlock = dropping("text")
Link = dropping("target")
