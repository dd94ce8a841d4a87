"""Which language a text is written in, among the configured content languages.

`language_detect(text)` gives a `Detection`: the main language as a BCP 47 code of
`settings.CONTENT_LANGUAGES` (None when the text has too few letters to tell), whether the text
mixes languages ("太好了 so cute"), and the main one.

How: hashtags, @mentions, URLs, e-mail addresses, emoji, digits and pinyin with tone marks say
nothing about the language the author writes in, so they are removed first. The remaining
letters are counted by Unicode script — Han, kana, Hangul, alphabetic (Latin, Cyrillic...) —
because the script settles the CJK languages better than any statistical model can on a few
characters: kana means Japanese (its Han characters are kanji), Hangul Korean, Han alone
Chinese. Simplified and Traditional Chinese share most characters; they are told apart by the
characters that exist in only one of the two forms (`_SIMPLIFIED_ONLY`, `_TRADITIONAL_ONLY`).
Alphabetic text goes to lingua, restricted to the configured alphabetic languages (with only
one of them, as with the default set, that one is the answer).

Each script's letters are weighed (a CJK character about one unit, like a short word; three
alphabetic letters one unit, since an English word of ~4.5 letters carries what ~1.5 Chinese
characters do). The heaviest language is the main one; the text is mixed when the next one
weighs at least `MIXED_SHARE` of the whole — a single 你好 in an English paragraph is not.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from lingua import LanguageDetector

# The share of the letters' weight a second language needs for the text to count as mixed,
# and the least weight it needs (two CJK characters or six letters).
MIXED_SHARE = 0.2
MIXED_MIN_WEIGHT = 2.0
# Less weight than this in all (one CJK character, three letters) is too little to tell.
MIN_WEIGHT = 1.0
# Alphabetic letters per unit of weight.
LETTERS_PER_UNIT = 3.0
# Japanese text is kana and kanji; a Chinese text may use a stray の for 的 ("我の猫"). Kana
# make the text Japanese when they are at least this share of its CJK characters.
KANA_SHARE = 0.2

MIXED = "mixed"  # what a `language` field stores for mixed text (notes.Note, notes.Comment)


@dataclass(frozen=True)
class Detection:
    """The result of `language_detect`.

    `language` is the main language (a code of CONTENT_LANGUAGES) or None when unsure; for
    mixed text it is the main one too, so it can always be passed to a translation provider as
    the source. `main` is the same code, named for mixed text. `stored` is what a model's
    `language` field keeps: "mixed" for mixed text, else the code, or "" when unsure;
    `stored_main` what its `language_main` keeps: the main code, or "" when unsure.
    """

    language: str | None
    mixed: bool = False
    main: str | None = None

    @property
    def stored(self) -> str:
        if self.mixed:
            return MIXED
        return self.language or ""

    @property
    def stored_main(self) -> str:
        return self.main or ""


def stored_languages(text: str, given: str = "") -> tuple[str, str]:
    """What a note's or comment's `language` and `language_main` keep for `text`: detected
    when `given` is empty; the author's code (as both) when they chose one; for "mixed" chosen
    by the author, the main language detected in the text ("" when detection has none)."""
    if given and given != MIXED:
        return given, given
    detection = language_detect(text)
    if given == MIXED:
        return MIXED, detection.stored_main
    return detection.stored, detection.stored_main


UNKNOWN = Detection(language=None)

# --- Cleaning -------------------------------------------------------------------------------
# The same shapes notes.parsing accepts as tags (RedNote's #话题[话题]#, Weibo's #话题#, plain
# #tag, full-width ＃) and mentions; a tag's words are the author's choice of label, often in
# the other language (#tiktokrefugee under Chinese text).
_NOISE_RE = re.compile(
    r"https?://\S+|www\.\S+"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|[#＃][^\s#＃\[\]]{1,64}\[话题\][#＃]"
    r"|[#＃][^\s#＃]{1,64}[#＃]"
    r"|[#＃]\w+"
    r"|@\w+",
    re.UNICODE,
)
# Pinyin with tone marks (xīn nián kuài lè) is Chinese written for learners, not English.
_PINYIN_MARKS = frozenset("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")


def _clean(text: str) -> str:
    return _NOISE_RE.sub(" ", unicodedata.normalize("NFC", text))


# --- Scripts --------------------------------------------------------------------------------
def _script(char: str) -> str | None:
    """The script of a letter: "han", "kana", "hangul", "alpha" (any other alphabet); None
    for anything else."""
    code = ord(char)
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
        or code == 0x3007  # 〇
    ):
        return "han"
    if 0x3041 <= code <= 0x30FF and code not in (0x30FB, 0x30FC) or 0x31F0 <= code <= 0x31FF:
        return "kana"  # the middle dot and the long-vowel mark are used in Chinese text too
    if 0xFF66 <= code <= 0xFF9D:
        return "kana"  # half-width katakana
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3131 <= code <= 0x318E:
        return "hangul"
    if char.isalpha():
        return "alpha"
    return None


@dataclass
class _Letters:
    han: str = ""
    kana: int = 0
    hangul: int = 0
    alpha: str = ""  # the alphabetic words, space-separated, for lingua
    alpha_letters: int = 0


def _letters(text: str) -> _Letters:
    found = _Letters()
    han: list[str] = []
    for word in _clean(text).split():
        alpha_run: list[str] = []
        alpha_words: list[str] = []
        for char in word:
            script = _script(char)
            if script == "alpha":
                alpha_run.append(char)
                continue
            if alpha_run:
                alpha_words.append("".join(alpha_run))
                alpha_run = []
            if script == "han":
                han.append(char)
            elif script == "kana":
                found.kana += 1
            elif script == "hangul":
                found.hangul += 1
        if alpha_run:
            alpha_words.append("".join(alpha_run))
        for alpha_word in alpha_words:
            if _PINYIN_MARKS.intersection(alpha_word.lower()):
                continue
            found.alpha += alpha_word + " "
            found.alpha_letters += len(alpha_word)
    found.han = "".join(han)
    return found


# --- Simplified or Traditional ----------------------------------------------------------------
# About 600 frequent characters whose Simplified and Traditional forms differ, each form
# listed in the same order. Characters both forms use (后 "queen", 里 "village", 面, 干, 台,
# 只, 咸 ...) are left out: they prove nothing. Checked against OpenCC's STCharacters and
# TSCharacters tables: each Simplified one maps to its Traditional one, and where OpenCC's
# standard form differs from Taiwan's (爲/為, 衆/眾, 溼/濕, 僞/偽, 啓/啟) both count as Traditional.
# A table this size decides any real sentence (the commonest 100 differing characters make up
# most occurrences); a full converter (OpenCC) would add a native dependency for no gain here.
_SIMPLIFIED = (
    "这个们来时说为国会对发过还没样么点学经现问间开关长见进动种头话让东业爱车书写买卖吗网门电飞马鸟鱼龙风华语认识读谢请应该从"
    "边条张两钱难欢乐听觉机带办实场岁亲猫饭馆汤鸡烧红绿蓝黄虾热冻凉汉义众体号将给结约级线组终练总纪细织绝统继续维变计记许论设"
    "证试诉词译调谁课谈议讲页顶项须顾预领题颜类视观规览贝负财货质购费资赛赶转轻较辆运远连选递钟铁银错闻队阳阴际陆险随灵叶务劳"
    "势区医单卫历压厅县参双叹员响园围图圆坏块坚报墙声处备够夹夺奋妈妇孙宝宠寻导尔尝层岛币师帮广庆库废异弃弯归当录彻忆忧怀态怜"
    "恋恶悬惊惯愿戏战扑执扩扫扬护担拥择挂挤挥损换据摄摆敌数断无旧显晓晕暂术杂权杨极构标树桥梦检毕气汇沟泪泽洁浅测济浓涨湿满滚"
    "灭灯灾炉烂烟爷牵犹状独狮猎献环画畅疗疯痒盐盖监盘矿码础确礼祸离积称稳穷窝竞笔笼筑签简粮紧纸纯纳纵纷绍络绕绘综缘编缩罗罚职"
    "联肃肠肤肿胁胜脑脏脚脸腾艺节芦苏苹荐药获莱营萝虑虽蚁蛮补装讨训访评诗询详误谱贡败贴贵贸赏赔赢赵趋跃践轨轮软载辅辈输达迁迈"
    "违迟适逊邮邻酱释针钓钥钢钻铃锁锅镇镜闪闭闯闹阅阔阶陈隐雾韩顺顿频飘饮饰饱饺饼驾验骑骗鲜鸭鹅麦齐齿龄龟丰临举乌乔习乱争亏亚"
    "产亿仅仓仪价优伞伟传伤伦伪侠侣侧侨俭债倾偿储儿党兰兴养兽册军农决况净减凤凭击刘则刚创删剂剧劝励劲协卢却厂厉厌叙叠吓吕启呜"
    "哑唤团圣坛坟坠垒岗峡帅帐帘庄庙庞弹径恳恼惧惨愤懒尽饿馋吨鲁鳞猪馒炖锦绣丝宁苍澜滨湾岭辽渔浏账户赞诶呗哒厨铲鸽驴骆驼猕烦闷"
    "讶惭骄谦虚壮强"
)
_TRADITIONAL = (
    "這個們來時說為國會對發過還沒樣麼點學經現問間開關長見進動種頭話讓東業愛車書寫買賣嗎網門電飛馬鳥魚龍風華語認識讀謝請應該從"
    "邊條張兩錢難歡樂聽覺機帶辦實場歲親貓飯館湯雞燒紅綠藍黃蝦熱凍涼漢義眾體號將給結約級線組終練總紀細織絕統繼續維變計記許論設"
    "證試訴詞譯調誰課談議講頁頂項須顧預領題顏類視觀規覽貝負財貨質購費資賽趕轉輕較輛運遠連選遞鐘鐵銀錯聞隊陽陰際陸險隨靈葉務勞"
    "勢區醫單衛歷壓廳縣參雙嘆員響園圍圖圓壞塊堅報牆聲處備夠夾奪奮媽婦孫寶寵尋導爾嘗層島幣師幫廣慶庫廢異棄彎歸當錄徹憶憂懷態憐"
    "戀惡懸驚慣願戲戰撲執擴掃揚護擔擁擇掛擠揮損換據攝擺敵數斷無舊顯曉暈暫術雜權楊極構標樹橋夢檢畢氣匯溝淚澤潔淺測濟濃漲濕滿滾"
    "滅燈災爐爛煙爺牽猶狀獨獅獵獻環畫暢療瘋癢鹽蓋監盤礦碼礎確禮禍離積稱穩窮窩競筆籠築簽簡糧緊紙純納縱紛紹絡繞繪綜緣編縮羅罰職"
    "聯肅腸膚腫脅勝腦髒腳臉騰藝節蘆蘇蘋薦藥獲萊營蘿慮雖蟻蠻補裝討訓訪評詩詢詳誤譜貢敗貼貴貿賞賠贏趙趨躍踐軌輪軟載輔輩輸達遷邁"
    "違遲適遜郵鄰醬釋針釣鑰鋼鑽鈴鎖鍋鎮鏡閃閉闖鬧閱闊階陳隱霧韓順頓頻飄飲飾飽餃餅駕驗騎騙鮮鴨鵝麥齊齒齡龜豐臨舉烏喬習亂爭虧亞"
    "產億僅倉儀價優傘偉傳傷倫偽俠侶側僑儉債傾償儲兒黨蘭興養獸冊軍農決況淨減鳳憑擊劉則剛創刪劑劇勸勵勁協盧卻廠厲厭敘疊嚇呂啟嗚"
    "啞喚團聖壇墳墜壘崗峽帥帳簾莊廟龐彈徑懇惱懼慘憤懶盡餓饞噸魯鱗豬饅燉錦繡絲寧蒼瀾濱灣嶺遼漁瀏賬戶讚誒唄噠廚鏟鴿驢駱駝獼煩悶"
    "訝慚驕謙虛壯強爲衆溼僞啓"
)
_SIMPLIFIED_ONLY = frozenset(_SIMPLIFIED)
_TRADITIONAL_ONLY = frozenset(_TRADITIONAL)
# Traditional → Simplified, character by character, over the same tables (the five extra
# Traditional forms at the end of `_TRADITIONAL` fold into their Simplified ones).
_TO_SIMPLIFIED = str.maketrans(
    {
        **dict(zip(_TRADITIONAL, _SIMPLIFIED, strict=False)),
        **dict(zip("爲衆溼僞啓", "为众湿伪启", strict=True)),
    }
)


def chinese_simplify(text: str) -> str:
    """`text` with the Traditional characters of the tables above written Simplified, for
    comparing words whatever the script (keyword rules); not a full converter: characters
    outside the tables, and words whose forms differ beyond one character, stay as they are."""
    return text.translate(_TO_SIMPLIFIED)


def chinese_script(han: str) -> str:
    """The Chinese script of `han`: "Hant" when it has more Traditional-only than
    Simplified-only characters, else "Hans" (also when it has neither: Simplified is what most
    Chinese readers here write)."""
    simplified = sum(char in _SIMPLIFIED_ONLY for char in han)
    traditional = sum(char in _TRADITIONAL_ONLY for char in han)
    return "Hant" if traditional > simplified else "Hans"


# --- Configured languages -------------------------------------------------------------------
_CJK_BASES = ("zh", "ja", "ko")


def _configured() -> tuple[str, ...]:
    return tuple(settings.CONTENT_LANGUAGES)


def _code_for(base: str, configured: tuple[str, ...], script: str | None = None) -> str | None:
    """The configured code for a base language ("zh" + "Hant" → "zh-Hant"); for Chinese the
    other script's code, or plain "zh", when only that one is configured."""
    matches = [code for code in configured if code.split("-")[0].lower() == base]
    if not matches:
        return None
    if script:
        for code in matches:
            if code.lower().endswith("-" + script.lower()):
                return code
    return matches[0]


@functools.lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    """A lingua detector for these alphabetic codes (2 or more), built once per process:
    its models load on first use and take memory, so every caller shares it."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, code.split("-")[0].upper()) for code in codes]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
        .with_minimum_relative_distance(0.1)
        .build()
    )


def _alphabetic_codes(configured: tuple[str, ...]) -> tuple[str, ...]:
    """The configured languages lingua can tell apart that are not CJK, by base code."""
    from lingua import IsoCode639_1

    codes = []
    for code in configured:
        base = code.split("-")[0].lower()
        if base not in _CJK_BASES and hasattr(IsoCode639_1, base.upper()):
            codes.append(code)
    return tuple(codes)


def _alphabetic_language(words: str, configured: tuple[str, ...]) -> str | None:
    codes = _alphabetic_codes(configured)
    if len(codes) <= 1:
        return codes[0] if codes else None
    found = _detector(codes).detect_language_of(words)
    if found is None:
        return None
    base = found.iso_code_639_1.name.lower()
    return next((code for code in codes if code.split("-")[0].lower() == base), None)


# --- Detection ------------------------------------------------------------------------------
def language_detect(text: str) -> Detection:
    """The language of `text` among `settings.CONTENT_LANGUAGES` (see the module docstring).

    Cheap for CJK and for a single alphabetic language; with several alphabetic languages
    configured the first call loads lingua's models (once per process)."""
    configured = _configured()
    letters = _letters(text or "")
    weights: dict[str, float] = {}

    def add(code: str | None, weight: float) -> None:
        if code and weight > 0:
            weights[code] = weights.get(code, 0.0) + weight

    han = len(letters.han)
    cjk = han + letters.kana
    japanese = _code_for("ja", configured)
    chinese = _code_for("zh", configured, chinese_script(letters.han)) if han else None
    if japanese and letters.kana and (letters.kana >= KANA_SHARE * cjk or not chinese):
        add(japanese, cjk)  # kanji belong to the Japanese text
    else:
        add(chinese or (japanese if han else None), han)
    add(_code_for("ko", configured), letters.hangul)
    unsure = 0.0  # alphabetic text lingua could not place among several languages
    if letters.alpha_letters:
        alpha_weight = letters.alpha_letters / LETTERS_PER_UNIT
        if alpha_weight >= MIN_WEIGHT:
            if _alphabetic_codes(configured):
                alphabetic = _alphabetic_language(letters.alpha, configured)
                if alphabetic:
                    add(alphabetic, alpha_weight)
                else:
                    unsure = alpha_weight

    total = sum(weights.values()) + unsure
    if not weights or total < MIN_WEIGHT:
        return UNKNOWN
    ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
    main = ranked[0][0]
    # A second language makes the text mixed, even one lingua could not name ("ate, no cap").
    second = max([weight for _code, weight in ranked[1:]] + [unsure])
    mixed = second >= MIXED_MIN_WEIGHT and second >= MIXED_SHARE * total
    return Detection(language=main, mixed=mixed, main=main)
