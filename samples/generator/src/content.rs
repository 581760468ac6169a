//! Vocabulary pools for realistic content: topics, key technologies,
//! applicants, people, countries with their Chinese aliases and partner
//! institutions, indicators, supervising departments.

/// SPEC §3 applicant types, as written in truth JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgType {
    Enterprise,
    University,
    Institute,
    Hospital,
}

impl OrgType {
    pub fn json(self) -> &'static str {
        match self {
            OrgType::Enterprise => "enterprise",
            OrgType::University => "university",
            OrgType::Institute => "institute",
            OrgType::Hospital => "hospital",
        }
    }
    /// The word a 单位性质 row uses.
    pub fn zh(self) -> &'static str {
        match self {
            OrgType::Enterprise => "企业",
            OrgType::University => "高校",
            OrgType::Institute => "科研院所",
            OrgType::Hospital => "医院",
        }
    }
    pub const ALL: [OrgType; 4] = [
        OrgType::Enterprise,
        OrgType::University,
        OrgType::Institute,
        OrgType::Hospital,
    ];
}

/// Technology fields (技术领域) and their key-technology pools.
pub struct TechField {
    pub name: &'static str,
    pub techs: &'static [&'static str],
}

pub const FIELDS: &[TechField] = &[
    TechField {
        name: "人工智能",
        techs: &[
            "多模态数据融合与特征提取技术",
            "面向边缘端的模型轻量化部署技术",
            "小样本条件下的迁移学习方法",
            "复杂场景下的目标检测与识别技术",
            "人机协同决策与可解释性分析",
            "高可靠嵌入式控制系统设计",
            "大规模训练数据的标注与治理",
            "智能感知传感器研制",
        ],
    },
    TechField {
        name: "现代高效农业",
        techs: &[
            "耐盐碱基因挖掘与分子标记辅助育种",
            "作物表型高通量精准鉴定技术",
            "病虫害绿色防控生物制剂研制",
            "水肥一体化精准调控技术",
            "农产品品质无损检测技术",
            "土壤改良与地力提升技术",
            "病原微生物快速分子检测方法",
            "低温预冷与气调保鲜工艺",
        ],
    },
    TechField {
        name: "医养健康",
        techs: &[
            "肿瘤新抗原筛选与鉴定技术",
            "血液生物标志物超灵敏检测方法",
            "候选药物分子设计与成药性评价",
            "多中心临床队列构建与数据共享",
            "新型递送载体制备工艺",
            "可穿戴健康监测设备研制",
            "基于真实世界数据的疗效评价方法",
            "免疫细胞体外扩增与质量控制",
        ],
    },
    TechField {
        name: "新能源",
        techs: &[
            "高活性低铂催化剂制备技术",
            "质子交换膜耐久性提升技术",
            "大面积钙钛矿薄膜均匀制备工艺",
            "电池界面稳定性调控技术",
            "风电机组故障智能诊断与预警",
            "储能电池热失控早期预警技术",
            "电堆系统集成与热管理技术",
            "固态电解质规模化制备工艺",
        ],
    },
    TechField {
        name: "新材料",
        techs: &[
            "碳纤维原丝高效制备工艺",
            "树脂基体增韧改性技术",
            "稀土永磁材料晶界扩散技术",
            "可降解材料力学性能调控",
            "大尺寸碳化硅单晶生长技术",
            "材料服役性能评价与寿命预测",
            "低成本绿色合成工艺",
            "复合材料自动化成型装备",
            "3D打印金属构件成形控制",
        ],
    },
    TechField {
        name: "高端装备制造",
        techs: &[
            "高精度主轴热误差补偿技术",
            "摆线针轮减速器精密加工工艺",
            "多传感器融合的环境感知技术",
            "车路协同通信与决策控制",
            "无人机集群路径规划与调度",
            "关键部件可靠性测试与评估",
            "数字孪生驱动的装备运维技术",
            "伺服驱动系统高动态响应控制",
        ],
    },
    TechField {
        name: "现代海洋",
        techs: &[
            "深远海养殖平台结构设计与安全评估",
            "养殖水体环境智能监测与调控",
            "海洋生物活性物质提取纯化技术",
            "反渗透膜抗污染改性技术",
            "海洋观测浮标长期稳定运行技术",
            "海洋多源数据同化与预报方法",
            "医用海洋多糖材料制备工艺",
            "海水淡化能量回收装置研制",
        ],
    },
    TechField {
        name: "新一代信息技术",
        techs: &[
            "工业控制协议漏洞挖掘技术",
            "量子密钥分发系统集成技术",
            "异构算力资源统一调度方法",
            "太赫兹通信关键器件研制",
            "网络流量异常检测与溯源",
            "隐私计算与数据安全共享技术",
            "低时延高可靠传输协议设计",
            "通感一体化信号处理方法",
            // Opening with a number: "2.5G…" when numbered 2. on its own line.
            "5G专网切片与边缘协同技术",
        ],
    },
    TechField {
        name: "绿色低碳",
        techs: &[
            "高效低能耗二氧化碳吸收剂研制",
            "二氧化碳催化转化制化学品技术",
            "氢基直接还原炼铁工艺",
            "高盐废水分质结晶技术",
            "工业固废资源化综合利用技术",
            "全流程碳排放核算与监测方法",
            "余热余能高效回收利用技术",
            "膜分离与高级氧化耦合处理工艺",
        ],
    },
];

/// A research topic: Chinese name, English name, index into `FIELDS`.
pub struct Topic {
    pub zh: &'static str,
    pub en: &'static str,
    pub field: usize,
}

const fn t(zh: &'static str, en: &'static str, field: usize) -> Topic {
    Topic { zh, en, field }
}

pub const TOPICS: &[Topic] = &[
    t("工业大模型", "Industrial Large Models", 0),
    t("智能农机装备", "Intelligent Agricultural Machinery", 0),
    t("医学影像智能诊断", "Intelligent Medical Image Diagnosis", 0),
    t("服务机器人", "Service Robots", 0),
    t("脑机接口", "Brain-Computer Interfaces", 0),
    t(
        "盐碱地耐逆作物育种",
        "Stress-Tolerant Crop Breeding for Saline-Alkali Land",
        1,
    ),
    t(
        "设施蔬菜病虫害绿色防控",
        "Green Pest Control for Greenhouse Vegetables",
        1,
    ),
    t(
        "小麦玉米节水高产栽培",
        "Water-Saving High-Yield Cultivation of Wheat and Maize",
        1,
    ),
    t(
        "畜禽疫病快速检测",
        "Rapid Detection of Livestock and Poultry Diseases",
        1,
    ),
    t(
        "农产品冷链保鲜",
        "Cold-Chain Preservation of Agricultural Products",
        1,
    ),
    t("肿瘤免疫治疗", "Tumor Immunotherapy", 2),
    t(
        "阿尔茨海默病早期诊断",
        "Early Diagnosis of Alzheimer's Disease",
        2,
    ),
    t(
        "中药创新药物",
        "Innovative Traditional Chinese Medicines",
        2,
    ),
    t(
        "老年慢病智能健康管理",
        "Intelligent Management of Chronic Diseases in the Elderly",
        2,
    ),
    t("新型疫苗佐剂", "Novel Vaccine Adjuvants", 2),
    t("氢燃料电池", "Hydrogen Fuel Cells", 3),
    t("钙钛矿太阳能电池", "Perovskite Solar Cells", 3),
    t(
        "海上风电运维",
        "Offshore Wind Farm Operation and Maintenance",
        3,
    ),
    t("固态锂电池", "Solid-State Lithium Batteries", 3),
    t(
        "储能系统安全管理",
        "Safety Management of Energy Storage Systems",
        3,
    ),
    t(
        "高性能碳纤维复合材料",
        "High-Performance Carbon Fiber Composites",
        4,
    ),
    t("稀土功能材料", "Rare-Earth Functional Materials", 4),
    t("生物可降解高分子材料", "Biodegradable Polymer Materials", 4),
    t(
        "第三代半导体材料",
        "Third-Generation Semiconductor Materials",
        4,
    ),
    t("高档数控机床", "High-End CNC Machine Tools", 5),
    t(
        "工业机器人精密减速器",
        "Precision Reducers for Industrial Robots",
        5,
    ),
    t("智能网联汽车", "Intelligent Connected Vehicles", 5),
    t("低空无人机物流", "Low-Altitude UAV Logistics", 5),
    t("深远海养殖装备", "Deep-Sea Aquaculture Equipment", 6),
    t("海洋生物医用材料", "Marine Biomedical Materials", 6),
    t("海水淡化", "Seawater Desalination", 6),
    t(
        "海洋环境立体监测",
        "Three-Dimensional Marine Environment Monitoring",
        6,
    ),
    t("工业互联网安全", "Industrial Internet Security", 7),
    t("量子通信", "Quantum Communication", 7),
    t("算力网络调度", "Computing Power Network Scheduling", 7),
    t("6G通信", "6G Communications", 7),
    t(
        "二氧化碳捕集利用",
        "Carbon Dioxide Capture and Utilization",
        8,
    ),
    t(
        "钢铁行业低碳冶金",
        "Low-Carbon Metallurgy in the Steel Industry",
        8,
    ),
    t(
        "工业废水资源化",
        "Resource Recovery from Industrial Wastewater",
        8,
    ),
];

/// (Chinese prefix, English prefix, English postfix).
pub const NAME_PREFIXES: &[(&str, &str, &str)] = &[
    ("", "", ""),
    ("", "", ""),
    ("", "", ""),
    ("基于人工智能的", "AI-Enabled ", ""),
    ("面向黄河流域的", "", " in the Yellow River Basin"),
    ("绿色低碳", "Low-Carbon ", ""),
    ("新一代", "Next-Generation ", ""),
];

/// (Chinese suffix, English template with `{}` for the topic).
pub const NAME_SUFFIXES: &[(&str, &str)] = &[
    ("关键技术联合研发", "Joint R&D on Key Technologies of {}"),
    (
        "联合研发与示范应用",
        "Joint Development and Demonstration of {}",
    ),
    ("国际合作研究", "International Cooperative Research on {}"),
    (
        "关键技术研究与产业化",
        "Key Technologies and Industrialization of {}",
    ),
    (
        "技术引进与消化吸收再创新",
        "Introduction and Re-Innovation of {} Technologies",
    ),
    ("联合攻关", "Joint Breakthrough in {}"),
    (
        "合作研发及应用示范",
        "Cooperative R&D and Application Demonstration of {}",
    ),
    (
        "技术转移与海外示范",
        "Technology Transfer and Overseas Demonstration of {}",
    ),
];

pub struct Org {
    pub name: &'static str,
    pub kind: OrgType,
    /// Indices into `FIELDS` this unit works in (empty: any).
    pub fields: &'static [usize],
}

const fn o(name: &'static str, kind: OrgType) -> Org {
    Org {
        name,
        kind,
        fields: &[],
    }
}

const fn of(name: &'static str, kind: OrgType, fields: &'static [usize]) -> Org {
    Org { name, kind, fields }
}

pub const APPLICANTS: &[Org] = &[
    o("山东大学", OrgType::University),
    o("中国海洋大学", OrgType::University),
    of("山东农业大学", OrgType::University, &[1, 0, 8]),
    o("青岛大学", OrgType::University),
    o("山东科技大学", OrgType::University),
    o("济南大学", OrgType::University),
    o("齐鲁工业大学", OrgType::University),
    o("山东师范大学", OrgType::University),
    o("青岛科技大学", OrgType::University),
    o("山东理工大学", OrgType::University),
    o("烟台大学", OrgType::University),
    of("山东省农业科学院", OrgType::Institute, &[1]),
    of(
        "山东省科学院海洋仪器仪表研究所",
        OrgType::Institute,
        &[6, 7],
    ),
    of("山东省医学科学院", OrgType::Institute, &[2]),
    of(
        "中国科学院青岛生物能源与过程研究所",
        OrgType::Institute,
        &[3, 4, 8],
    ),
    of(
        "山东省计算中心（国家超级计算济南中心）",
        OrgType::Institute,
        &[0, 7],
    ),
    of("山东省海洋科学研究院", OrgType::Institute, &[6]),
    of("山东省农业机械科学研究院", OrgType::Institute, &[1, 0, 5]),
    of("济南晶联光电科技有限公司", OrgType::Enterprise, &[7, 4]),
    of("青岛海瑞智能装备股份有限公司", OrgType::Enterprise, &[5, 0]),
    of("潍坊华信农机科技有限公司", OrgType::Enterprise, &[1, 5]),
    of("烟台蓝海生物医药有限公司", OrgType::Enterprise, &[2, 6]),
    of("山东鲁氢新能源科技有限公司", OrgType::Enterprise, &[3, 8]),
    of("淄博宏泰新材料股份有限公司", OrgType::Enterprise, &[4, 8]),
    of("威海光启海洋装备有限公司", OrgType::Enterprise, &[6, 5]),
    of("济南中科数智信息技术有限公司", OrgType::Enterprise, &[0, 7]),
    of("临沂金穗农业发展有限公司", OrgType::Enterprise, &[1]),
    of("东营齐润化工科技有限公司", OrgType::Enterprise, &[8, 4]),
    of("山东大学齐鲁医院", OrgType::Hospital, &[2]),
    of("山东省立医院", OrgType::Hospital, &[2]),
    of("青岛大学附属医院", OrgType::Hospital, &[2]),
    of("山东省肿瘤医院", OrgType::Hospital, &[2]),
    of("济南市中心医院", OrgType::Hospital, &[2]),
    of("烟台毓璜顶医院", OrgType::Hospital, &[2]),
];

/// A supervising department (项目主管部门): full name, the short name used
/// for a top folder, mail domain part, and the applicants it forwards
/// (empty: any) and technology fields it covers (empty: any).
pub struct Dept {
    pub name: &'static str,
    pub short: &'static str,
    pub mail: &'static str,
    pub applicants: &'static [&'static str],
    pub fields: &'static [usize],
}

const fn d(name: &'static str, short: &'static str, mail: &'static str) -> Dept {
    Dept {
        name,
        short,
        mail,
        applicants: &[],
        fields: &[],
    }
}

pub const DEPTS: &[Dept] = &[
    d("济南市科学技术局", "济南市科技局", "kjj.jinan.gov.cn"),
    Dept {
        name: "山东大学",
        short: "山东大学科学技术研究院",
        mail: "sdu.edu.cn",
        applicants: &["山东大学", "山东大学齐鲁医院"],
        fields: &[],
    },
    Dept {
        name: "山东省农业农村厅",
        short: "省农业农村厅",
        mail: "nync.shandong.gov.cn",
        applicants: &[
            "山东农业大学",
            "山东省农业科学院",
            "山东省农业机械科学研究院",
            "潍坊华信农机科技有限公司",
            "临沂金穗农业发展有限公司",
            "青岛大学",
        ],
        fields: &[1],
    },
    d("青岛市科学技术局", "青岛市科技局", "qdstc.qingdao.gov.cn"),
    d("烟台市科学技术局", "烟台市科技局", "kjj.yantai.gov.cn"),
    d("潍坊市科学技术局", "潍坊市科技局", "kjj.weifang.gov.cn"),
    Dept {
        name: "山东省卫生健康委员会",
        short: "省卫生健康委",
        mail: "wsjkw.shandong.gov.cn",
        applicants: &[
            "山东大学齐鲁医院",
            "山东省立医院",
            "青岛大学附属医院",
            "山东省肿瘤医院",
            "济南市中心医院",
            "烟台毓璜顶医院",
        ],
        fields: &[2],
    },
    Dept {
        name: "中国海洋大学",
        short: "中国海洋大学科技处",
        mail: "ouc.edu.cn",
        applicants: &["中国海洋大学"],
        fields: &[],
    },
    d("淄博市科学技术局", "淄博市科技局", "kjj.zibo.gov.cn"),
    d("威海市科学技术局", "威海市科技局", "kjj.weihai.gov.cn"),
    d("临沂市科学技术局", "临沂市科技局", "kjj.linyi.gov.cn"),
    d("东营市科学技术局", "东营市科技局", "kjj.dongying.gov.cn"),
    d("山东省教育厅", "省教育厅", "edu.shandong.gov.cn"),
    d("济宁市科学技术局", "济宁市科技局", "kjj.jining.gov.cn"),
    d("泰安市科学技术局", "泰安市科技局", "kjj.taian.gov.cn"),
    d("日照市科学技术局", "日照市科技局", "kjj.rizhao.gov.cn"),
    d("德州市科学技术局", "德州市科技局", "kjj.dezhou.gov.cn"),
    d("聊城市科学技术局", "聊城市科技局", "kjj.liaocheng.gov.cn"),
    d("滨州市科学技术局", "滨州市科技局", "kjj.binzhou.gov.cn"),
    d("菏泽市科学技术局", "菏泽市科技局", "kjj.heze.gov.cn"),
    d("枣庄市科学技术局", "枣庄市科技局", "kjj.zaozhuang.gov.cn"),
    d(
        "山东省工业和信息化厅",
        "省工业和信息化厅",
        "gxt.shandong.gov.cn",
    ),
    d("山东省科学院", "省科学院", "sdas.org"),
];

/// Sub-units whose own zip a department forwards inside its zip.
pub const SUB_UNITS: &[&str] = &["历城区科学技术局", "高新区科技创新局", "章丘区科技局"];

/// A partner country or region: ISO code, Chinese aliases, institutions.
pub struct Country {
    pub iso: &'static str,
    pub aliases: &'static [&'static str],
    pub institutions: &'static [&'static str],
}

const fn c(
    iso: &'static str,
    aliases: &'static [&'static str],
    institutions: &'static [&'static str],
) -> Country {
    Country {
        iso,
        aliases,
        institutions,
    }
}

/// One of the call's five region folders.
pub struct Region {
    /// The folder name as the notice writes it.
    pub folder: &'static str,
    pub countries: &'static [Country],
}

pub const REGIONS: &[Region] = &[
    Region {
        folder: "上合组织成员国",
        countries: &[
            c(
                "RU",
                &["俄罗斯", "俄罗斯联邦"],
                &[
                    "Bauman Moscow State Technical University",
                    "Lomonosov Moscow State University",
                    "Novosibirsk State University",
                ],
            ),
            c(
                "BY",
                &["白俄罗斯", "白俄罗斯共和国"],
                &[
                    "Belarusian State University",
                    "National Academy of Sciences of Belarus",
                ],
            ),
            c(
                "KZ",
                &["哈萨克斯坦", "哈萨克斯坦共和国"],
                &[
                    "Al-Farabi Kazakh National University",
                    "Nazarbayev University",
                ],
            ),
            c(
                "UZ",
                &["乌兹别克斯坦"],
                &[
                    "Tashkent State Technical University",
                    "Academy of Sciences of the Republic of Uzbekistan",
                ],
            ),
            c(
                "KG",
                &["吉尔吉斯斯坦", "吉尔吉斯共和国"],
                &["Kyrgyz National Agrarian University"],
            ),
            c(
                "PK",
                &["巴基斯坦"],
                &[
                    "University of Agriculture, Faisalabad",
                    "National University of Sciences and Technology (NUST)",
                ],
            ),
        ],
    },
    Region {
        folder: "日韩",
        countries: &[
            c(
                "JP",
                &["日本"],
                &[
                    "The University of Tokyo",
                    "Tohoku University",
                    "National Institute of Advanced Industrial Science and Technology (AIST)",
                    "Kyushu University",
                ],
            ),
            c(
                "KR",
                &["韩国", "大韩民国"],
                &[
                    "Korea Advanced Institute of Science and Technology",
                    "Seoul National University",
                    "Korea Institute of Science and Technology",
                    "Pohang University of Science and Technology",
                ],
            ),
        ],
    },
    Region {
        folder: "创新领先国家",
        countries: &[
            c(
                "DE",
                &["德国", "德意志联邦共和国"],
                &[
                    "Fraunhofer Institute for Production Technology IPT",
                    "Technical University of Munich",
                    "RWTH Aachen University",
                ],
            ),
            c(
                "US",
                &["美国"],
                &[
                    "University of California, Davis",
                    "Georgia Institute of Technology",
                ],
            ),
            c(
                "GB",
                &["英国"],
                &["University of Nottingham", "Imperial College London"],
            ),
            c("FR", &["法国"], &["Université Paris-Saclay"]),
            c(
                "FI",
                &["芬兰"],
                &[
                    "VTT Technical Research Centre of Finland",
                    "Aalto University",
                ],
            ),
            c("SE", &["瑞典"], &["KTH Royal Institute of Technology"]),
            c(
                "AU",
                &["澳大利亚"],
                &[
                    "Commonwealth Scientific and Industrial Research Organisation (CSIRO)",
                    "The University of Queensland",
                ],
            ),
            c("CA", &["加拿大"], &["University of Toronto"]),
            c("NL", &["荷兰"], &["Wageningen University & Research"]),
        ],
    },
    Region {
        folder: "“一带一路”共建国家",
        countries: &[
            c(
                "SG",
                &["新加坡"],
                &[
                    "National University of Singapore",
                    "Nanyang Technological University",
                    "Agency for Science, Technology and Research (A*STAR)",
                ],
            ),
            c(
                "IL",
                &["以色列"],
                &[
                    "Technion – Israel Institute of Technology",
                    "Weizmann Institute of Science",
                    "The Hebrew University of Jerusalem",
                ],
            ),
            c(
                "VN",
                &["越南"],
                &[
                    "Vietnam Academy of Agricultural Sciences",
                    "Hanoi University of Science and Technology",
                ],
            ),
            c("RS", &["塞尔维亚"], &["University of Belgrade"]),
            c(
                "TH",
                &["泰国"],
                &["Kasetsart University", "Chulalongkorn University"],
            ),
            c("MY", &["马来西亚"], &["Universiti Putra Malaysia"]),
            c("ID", &["印度尼西亚", "印尼"], &["IPB University"]),
            c(
                "HU",
                &["匈牙利"],
                &["Budapest University of Technology and Economics"],
            ),
        ],
    },
    Region {
        folder: "港澳台地区",
        countries: &[
            c(
                "HK",
                &["中国香港", "香港特别行政区", "香港"],
                &[
                    "The University of Hong Kong",
                    "The Hong Kong Polytechnic University",
                    "City University of Hong Kong",
                ],
            ),
            c(
                "MO",
                &["中国澳门", "澳门特别行政区"],
                &[
                    "University of Macau",
                    "Macau University of Science and Technology",
                ],
            ),
            c(
                "TW",
                &["中国台湾", "台湾地区"],
                &[
                    "National Taiwan University",
                    "National Tsing Hua University",
                ],
            ),
        ],
    },
];

/// Index of the Belt-and-Road region, whose folder name departments spell
/// with or without the Chinese quotes.
pub const BELT_AND_ROAD: usize = 3;

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁",
    "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶",
    "潘", "杜", "戴", "夏", "钟", "田", "任", "姜", "范", "方", "石", "姚", "谭", "邹", "孔", "崔",
    "欧阳", "司马",
];

pub const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "英", "华", "玉", "萍", "红", "玲", "建", "国", "立", "志", "海", "峰",
    "晓", "东", "宏", "文", "斌", "新", "春", "鹏", "辉", "宇", "浩", "凯", "健", "俊", "帆", "旭",
    "宁", "龙", "林", "欣", "博", "昊", "晨", "睿", "哲", "思", "雪", "琳", "颖", "倩", "焱", "淼",
];

pub fn titles_for(kind: OrgType) -> &'static [&'static str] {
    match kind {
        OrgType::University => &["教授", "教授", "副教授", "研究员"],
        OrgType::Institute => &["研究员", "研究员", "副研究员", "高级工程师"],
        OrgType::Enterprise => &["高级工程师", "正高级工程师", "工程师", "高级工程师"],
        OrgType::Hospital => &["主任医师", "教授", "副主任医师", "主任医师"],
    }
}

/// SPEC §3 indicator kinds as written in truth JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndKind {
    Paper,
    Patent,
    Standard,
    Workshop,
    Visit,
    Talent,
    Platform,
    Product,
    Economic,
    Other,
}

impl IndKind {
    pub fn json(self) -> &'static str {
        match self {
            IndKind::Paper => "paper",
            IndKind::Patent => "patent",
            IndKind::Standard => "standard",
            IndKind::Workshop => "workshop",
            IndKind::Visit => "visit",
            IndKind::Talent => "talent",
            IndKind::Platform => "platform",
            IndKind::Product => "product",
            IndKind::Economic => "economic",
            IndKind::Other => "other",
        }
    }
}

/// Indicator templates: kind, text with `{}` for the count, count range.
pub struct IndTemplate {
    pub kind: IndKind,
    pub texts: &'static [&'static str],
    pub range: (u32, u32),
}

const fn it(kind: IndKind, texts: &'static [&'static str], range: (u32, u32)) -> IndTemplate {
    IndTemplate { kind, texts, range }
}

pub const INDICATORS: &[IndTemplate] = &[
    it(
        IndKind::Paper,
        &[
            "发表SCI论文{}篇",
            "发表高水平学术论文{}篇",
            "与外方联合发表论文{}篇",
        ],
        (2, 8),
    ),
    it(
        IndKind::Patent,
        &[
            "申请发明专利{}项",
            "申请国际PCT专利{}件",
            "获授权发明专利{}项",
        ],
        (1, 6),
    ),
    it(
        IndKind::Standard,
        &[
            "制定行业标准{}项",
            "制定团体标准{}项",
            "参与制定国家标准{}项",
        ],
        (1, 3),
    ),
    it(
        IndKind::Workshop,
        &["举办国际研讨会{}次", "举办双边学术研讨会{}场"],
        (1, 3),
    ),
    it(
        IndKind::Visit,
        &["互派访问学者{}人次", "派出科研人员赴外方交流{}人次"],
        (2, 6),
    ),
    it(
        IndKind::Talent,
        &[
            "培养研究生{}名",
            "培养青年科技骨干{}人",
            "引进海外高层次人才{}名",
        ],
        (1, 6),
    ),
    it(
        IndKind::Platform,
        &[
            "共建联合实验室{}个",
            "建设国际联合研发中心{}个",
            "建立示范基地{}处",
        ],
        (1, 1),
    ),
    it(
        IndKind::Product,
        &["研制样机{}台（套）", "开发新产品{}项", "建设示范生产线{}条"],
        (1, 4),
    ),
    it(
        IndKind::Economic,
        &["新增销售收入{}万元", "实现新增产值{}万元", "新增利税{}万元"],
        (1, 40),
    ),
    it(IndKind::Other, &["形成技术报告{}份"], (1, 3)),
];

/// Chinese lower-case numerals for 1–10 (四级, 三篇).
pub fn zh_small(n: u32) -> Option<&'static str> {
    const D: [&str; 11] = [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    D.get(n as usize).copied()
}

/// Capital (大写) amount of whole yuan below 1亿, e.g. 400000 → 肆拾万元整.
pub fn capital_yuan(yuan: u64) -> String {
    fn group(n: u64, out: &mut String) {
        const DIG: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
        const UNIT: [&str; 4] = ["仟", "佰", "拾", ""];
        let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
        let mut started = false;
        let mut zero = false;
        for (i, &dg) in digits.iter().enumerate() {
            if dg == 0 {
                zero = started;
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            out.push_str(DIG[dg as usize]);
            out.push_str(UNIT[i]);
            started = true;
        }
    }
    let mut s = String::new();
    let wan = yuan / 10_000;
    let rest = yuan % 10_000;
    if wan > 0 {
        group(wan, &mut s);
        s.push('万');
    }
    if rest > 0 {
        if wan > 0 && rest < 1000 {
            s.push('零');
        }
        group(rest, &mut s);
    }
    if s.is_empty() {
        s.push('零');
    }
    s.push_str("元整");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capital_amounts() {
        assert_eq!(capital_yuan(400_000), "肆拾万元整");
        assert_eq!(capital_yuan(1_500_000), "壹佰伍拾万元整");
        assert_eq!(capital_yuan(375_000), "叁拾柒万伍仟元整");
        assert_eq!(capital_yuan(1_050_000), "壹佰零伍万元整");
        assert_eq!(capital_yuan(800_500), "捌拾万零伍佰元整");
    }

    #[test]
    fn pools_are_consistent() {
        for t in TOPICS {
            assert!(t.field < FIELDS.len());
        }
        for f in FIELDS {
            assert!(f.techs.len() >= 6);
        }
        for d in DEPTS {
            for a in d.applicants {
                assert!(APPLICANTS.iter().any(|o| o.name == *a), "{a}");
            }
        }
    }
}
