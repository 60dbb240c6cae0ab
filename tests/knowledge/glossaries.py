"""Small glossaries the glossary and Chinese-candidate tests read (kg.knowledge.glossary rows)."""

from kg.knowledge.glossary import parse_glossary

TINY = parse_glossary(
    line + "\n"
    for line in [
        "语义\tsemantic\t50\t60\t1",
        "分割\tsegmentation\t40\t50\t1",
        "语义分割\tsemantic segmentation\t30\t30\t2",
        "分布\tdistributionally\t5\t20\t1",
        "鲁棒\trobust\t9\t10\t1",
        "优化\toptimization\t30\t40\t1",
        "提出\tproposed\t1\t100\t1",  # seldom aligned: not trusted
        "新\tnovel\t9\t10\t1",
    ]
)


CHOICES = parse_glossary(
    line + "\n"
    for line in [
        "时间\ttime\t40\t100\t1",  # rows of one form: its translations, best first
        "时间\ttemporal\t30\t100\t1",
        "上下文\tcontext\t50\t60\t1",
        "复杂\tcomplex\t20\t40\t1",
        "结构\tstructure\t50\t60\t1",
        "分析\tanalysis\t50\t60\t1",
        "无人机\tdrone\t9\t10\t1",
        "多\tmulti-view\t3\t100\t1",  # a prefix, untrusted alone
        "视角\tview\t20\t40\t1",
        "@UAV\tunmanned aerial vehicle\t12\t14\t0",
    ]
)


PAIRS = parse_glossary(
    line + "\n"
    for line in [
        "估计\testimation\t40\t60\t1",
        "相机\tcamera\t50\t60\t1",
        "运动\tmotion\t50\t60\t1",
        "缺乏\tlack\t10\t30\t1",
        "训练\ttraining\t50\t60\t1",
        "数据\tdata\t50\t60\t1",
        "&估计\t相机\t1\t6\t0",  # adjacent 6 times, inside one English phrase once: a verb and its object
        "&缺乏\t训练\t2\t6\t0",  # a third of the time together: too often to cut
    ]
)
