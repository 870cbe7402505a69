"""Tables for people of the demo zone: surnames by frequency, given-name characters, birthplaces.

The surname weights follow the usual national frequency ranking (王, 李, 张, 刘, 陈 first) with the common
Shanxi names (郭, 贾, 郝, 阎, 薛 …) a little higher, so a roster looks like a real 花名册 rather than a
uniform draw. Tables are written as compact text and parsed once at import.
"""

from __future__ import annotations


def _weighted(table: str) -> tuple[tuple[str, int], ...]:
    """Parse "王 72  李 70 …" into (("王", 72), ("李", 70), …)."""
    words = table.split()
    return tuple((words[i], int(words[i + 1])) for i in range(0, len(words), 2))


SURNAMES = _weighted(
    """
    王 72  李 70  张 68  刘 54  陈 44  杨 32  赵 28  黄 24  周 22  吴 21  徐 16  孙 16
    胡 13  朱 13  高 12  林 11  何 11  郭 14  马 12  罗 9  梁 9  宋 8  郑 8  谢 7
    韩 8  唐 6  冯 7  于 6  董 7  萧 3  程 6  曹 6  袁 5  邓 5  许 5  傅 4
    沈 4  曾 4  彭 4  吕 4  苏 4  卢 4  蒋 4  蔡 4  贾 8  丁 4  魏 5  薛 6
    叶 3  阎 5  余 3  潘 3  杜 4  戴 2  夏 2  钟 2  汪 2  田 4  任 5  姜 2
    范 3  方 2  石 3  姚 2  谭 2  廖 2  邹 2  熊 2  金 2  陆 2  郝 6  孔 2
    白 4  崔 4  康 3  毛 2  邱 2  秦 3  江 2  史 3  顾 2  侯 4  邵 2  孟 3
    龙 1  万 1  段 3  雷 2  钱 1  汤 1  尹 2  黎 1  易 1  常 3  武 4  乔 3
    贺 2  温 3  牛 3  霍 3  申 2  耿 2  聂 2  卫 2  栗 1  闫 4  安 2
"""
)

MALE_CHARS = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文彬"
    "峰亮晨博昊天瑞泽睿子轩海东成新卫立忠民永春晋兵荣庆祥晓栋毅锋振宏嘉恒铭"
)
FEMALE_CHARS = tuple(
    "芳娜敏静丽艳娟霞燕玲婷雪慧莉萍红琳洁佳颖倩晶欣悦琪雯璐"
    "蕾瑶梅兰英华秀凤云月晓丹宁妍思雨馨彤嘉怡艺淑春亚文珊露"
)

# Birthplace division codes for resident ID numbers: mostly the zone's own city (晋中), then the rest of
# the province; flowing members more often come from neighbouring provinces.
LOCAL_DIVISIONS = _weighted(
    """
    140702 30  140703 8  140721 4  140722 4  140723 3  140724 3  140725 4  140727 5
    140728 5  140729 3  140781 5  140105 4  140106 3  140107 3  140109 2  141002 3
    140402 3  140213 2  140802 2  140902 2  141102 2
"""
)
DISTANT_DIVISIONS = _weighted(
    """
    410102 3  410302 2  130102 3  130602 2  610113 3  610302 2  370102 2  150102 2
    420106 1  510104 1  340104 1  210102 1
"""
)

MOBILE_PREFIXES = tuple(
    """
    130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157
    158 159 166 177 180 181 182 183 185 186 187 188 189 191 199
    """.split()
)
