"""Teaching designs as real files (docx, pptx, pdf, xlsx) for the document tests."""

from __future__ import annotations

import io

TEXTBOOK = (
    "课文原文：圆的面积等于圆周率乘半径的平方。把圆平均分成若干份，拼成一个近似的长方形，"
    "长方形的长相当于圆周长的一半，宽相当于圆的半径，所以圆的面积等于πr²。"
)


WORDS = [
    "学生",
    "教师",
    "小组",
    "同桌",
    "全班",
    "观察",
    "比较",
    "讨论",
    "交流",
    "思考",
    "归纳",
    "总结",
    "推导",
    "展示",
    "操作",
    "实验",
    "测量",
    "记录",
    "分析",
    "判断",
    "猜想",
    "验证",
    "表达",
    "倾听",
    "评价",
    "反思",
    "练习",
    "巩固",
    "拓展",
    "延伸",
    "情境",
    "导入",
    "新课",
    "探究",
    "合作",
    "自主",
    "圆形",
    "半径",
    "直径",
    "周长",
    "面积",
    "公式",
    "长方形",
    "正方形",
    "三角形",
    "梯形",
    "图形",
    "剪拼",
    "转化",
    "近似",
    "估算",
    "计算",
    "单位",
    "生活",
    "实际",
    "问题",
    "方法",
    "思想",
    "经验",
    "能力",
    "观念",
    "习惯",
    "兴趣",
    "目标",
    "重点",
    "难点",
    "环节",
    "任务",
    "活动",
    "作业",
    "分层",
    "课件",
    "学具",
    "黑板",
    "板书",
    "提问",
    "追问",
    "引导",
    "启发",
    "示范",
    "点拨",
    "小结",
    "检测",
    "反馈",
    "评估",
    "差异",
    "个别",
    "辅导",
    "鼓励",
    "时间",
    "分钟",
    "步骤",
    "顺序",
    "结构",
    "层次",
    "联系",
    "区别",
    "规律",
    "特点",
    "变化",
    "关系",
    "数量",
    "大小",
    "形状",
    "位置",
    "方向",
    "角度",
]


def design(seed: int, sentences: int = 14) -> str:
    """A design with its own wording: seeded sentences of education vocabulary."""
    import random

    rng = random.Random(seed)
    parts = []
    for k in range(sentences):
        words = "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 10)))
        parts.append(f"第{k + 1}步，{words}，用时约{rng.randint(2, 9)}分钟。")
    return "".join(parts)


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("。"):
        if paragraph:
            document.add_paragraph(paragraph + "。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(text: str) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    for chunk in [text[i : i + 120] for i in range(0, len(text), 120)]:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.placeholders[1].text = chunk
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def xlsx_bytes(text: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row, chunk in enumerate([text[i : i + 60] for i in range(0, len(text), 60)], start=1):
        book.active.cell(row=row, column=1, value=chunk)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    from youke.core.pdf_fonts import chinese_font

    out = io.BytesIO()
    page = canvas.Canvas(out)
    font = chinese_font().name
    page.setFont(font, 11)
    y = 800
    for chunk in [text[i : i + 40] for i in range(0, len(text), 40)]:
        page.drawString(40, y, chunk)
        y -= 16
        if y < 40:
            page.showPage()
            page.setFont(font, 11)
            y = 800
    page.save()
    return out.getvalue()
