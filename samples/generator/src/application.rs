//! Application-book calls (Shanxi 2024, MOST 2025-B3, Zhejiang 2025): one
//! folder per proposal holding an application book (申报书, DOCX), a
//! cooperation agreement (合作协议, DOCX, Chinese + English or not, with or
//! without an IP clause) and an attachment (查新报告). Each scheme's batch is
//! a list of cases: proposals that satisfy every checkable rule, and one
//! proposal per rule that breaks exactly that rule; the ground truth gives
//! the fields and the finding codes intake must report.
//!
//! The documents are written by hand (like `form.rs`), deterministic, in one
//! zip per batch with UTF-8 names.

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use crate::agreement::docx;
use crate::rawzip::{Name, RawZip};
use crate::truth::{Fields, Funding, Indicator, Period, Pi, Trl};

/// The calls this module writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Shanxi,
    Most,
    Zhejiang,
}

impl Call {
    pub fn parse(s: &str) -> Option<Call> {
        Some(match s {
            "shanxi" => Call::Shanxi,
            "most" => Call::Most,
            "zhejiang" => Call::Zhejiang,
            _ => return None,
        })
    }
    pub fn scheme_id(self) -> &'static str {
        match self {
            Call::Shanxi => "shanxi-2024-cooperation",
            Call::Most => "most-intergov-2025-b3",
            Call::Zhejiang => "zhejiang-2025-jianbing-lingyan",
        }
    }
    /// (direction id, name as the notice and the form's checkbox write it).
    fn directions(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Call::Shanxi => &[
                ("belt-and-road", "“一带一路”科技合作项目"),
                ("key-country", "重点国别科技合作项目"),
                ("base-platform", "国际合作基地与平台项目"),
                ("regional", "区域合作项目"),
                ("aid", "科技援助合作项目"),
            ],
            Call::Most => &[
                ("kr-energy", "中国和韩国政府间能源技术联合研究项目"),
                ("kr-industry", "中国和韩国政府间大型产学研联合研究项目"),
                ("id-joint", "中国和印尼政府间联合研究项目"),
                ("kh-joint", "中国和柬埔寨政府间联合研究项目"),
                ("sg-flagship", "中国和新加坡科技创新合作旗舰项目"),
            ],
            Call::Zhejiang => &[
                ("intergov-finland", "政府间国际科技创新合作计划项目（芬兰）"),
                (
                    "intergov-israel",
                    "政府间国际科技创新合作计划项目（以色列）",
                ),
                ("intergov-norway", "政府间国际科技创新合作计划项目（挪威）"),
                (
                    "intergov-uk-midlands",
                    "政府间国际科技创新合作计划项目（英国中部引擎地区）",
                ),
                ("carrier", "国际科技合作载体联合研发项目"),
                ("paired-aid", "科技对口支援和东西部协作项目"),
            ],
        }
    }
    fn direction_name(self, id: &str) -> &'static str {
        self.directions()
            .iter()
            .find(|d| d.0 == id)
            .map(|d| d.1)
            .unwrap_or("")
    }
}

/// The agreement as written.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub english: bool,
    pub ip_clause: bool,
    pub from: (u32, u32, u32),
    pub to: (u32, u32, u32),
}

/// One proposal's facts and how it is filed.
#[derive(Debug, Clone)]
pub struct App {
    /// Case name: `clean-N` or the rule it breaks.
    pub case: String,
    /// Direction id the region folder stands for; `None` = no region folder.
    pub folder: Option<&'static str>,
    /// Direction ids ticked in the form's 项目类别 checkboxes.
    pub ticked: Vec<&'static str>,
    /// The direction intake should settle on.
    pub direction: Option<&'static str>,
    pub topic: usize,
    pub applicant: String,
    /// (label as ticked, JSON value)
    pub applicant_type: (&'static str, &'static str),
    pub pi_name: String,
    pub birth: (u32, u32, u32),
    pub title: &'static str,
    /// (ISO code, Chinese name)
    pub country: (&'static str, &'static str),
    pub partner: String,
    pub english_name: bool,
    /// Form entries left blank: `"pi"` (name, birth date, title), `"partner"`,
    /// `"name"` (the project's name, in every document and the folder).
    pub blank: Vec<&'static str>,
    pub start: (u32, u32),
    pub months: u32,
    pub requested: f64,
    pub matching: f64,
    pub trl: (u8, u8),
    /// (kind JSON name, count, text)
    pub indicators: Vec<(&'static str, u32, String)>,
    pub agreement: Option<Agreement>,
    /// The proposal rewritten to hide that it is another's: renamed, its
    /// key technologies and its prose in another order, a few words changed.
    pub reworded: bool,
    /// Finding codes intake must report, sorted.
    pub expect: Vec<&'static str>,
    /// Rules this proposal sits just inside of (their boundary twin):
    /// `CODE`, or `CODE:param` (the rule's indicator or field) where one
    /// code names several rules.
    pub twin_of: Vec<&'static str>,
    /// The applicant's registration date (单位注册时间), when the form has
    /// the row.
    pub registered: Option<(u32, u32, u32)>,
    /// The novelty-search report's completion date.
    pub novelty: (u32, u32, u32),
    /// The applicant's seal pasted on the agreement ([`SEAL_PNG`]; the
    /// applicant must be [`SEALED_APPLICANT`]).
    pub sealed: bool,
}

/// A topic: Chinese and English names, key technologies and a paragraph of
/// its own, so that unrelated proposals do not read alike.
struct Topic {
    zh: &'static str,
    en: &'static str,
    techs: [&'static str; 3],
    prose: &'static str,
}

const TOPICS: &[Topic] = &[
    Topic {
        zh: "煤矸石基固废高值化利用关键技术",
        en: "High-value Utilization of Coal Gangue Solid Waste",
        techs: [
            "煤矸石低温活化工艺",
            "固废基胶凝材料配方设计",
            "重金属稳定化评价方法",
        ],
        prose: "山西煤矸石年排放量大，堆存占地并造成扬尘和淋溶污染。项目拟引进外方低温煅烧活化装备，研制固废基胶凝材料，在矿区开展道路基层示范，年消纳煤矸石十万吨。",
    },
    Topic {
        zh: "氢燃料电池膜电极批量制备",
        en: "Mass Production of Membrane Electrode Assemblies for Hydrogen Fuel Cells",
        techs: [
            "超薄质子交换膜涂布",
            "低铂催化剂层结构调控",
            "膜电极一致性在线检测",
        ],
        prose: "膜电极是燃料电池电堆成本最高的部件。外方在卷对卷涂布和催化剂墨水分散方面积累深厚，双方将共建中试线，把单片铂载量降到每平方厘米零点二毫克以下。",
    },
    Topic {
        zh: "钙钛矿叠层光伏组件稳定性提升",
        en: "Stability Improvement of Perovskite Tandem Photovoltaic Modules",
        techs: ["界面钝化分子设计", "柔性封装阻水膜", "湿热老化加速测试"],
        prose: "钙钛矿叠层电池效率已超过百分之三十，但户外稳定性不足一年。项目联合外方老化测试平台，筛选钝化分子和封装材料，目标通过一千小时双八五湿热测试。",
    },
    Topic {
        zh: "小麦抗旱基因编辑育种",
        en: "Genome Editing for Drought Tolerance in Wheat",
        techs: ["抗旱候选基因挖掘", "高效转化受体体系", "田间表型高通量采集"],
        prose: "黄土高原旱作区小麦单产长期偏低。项目利用外方的干旱胁迫表型平台和我方的编辑体系，定向改良根系构型，培育节水百分之十五的新品系并在吕梁开展多点试验。",
    },
    Topic {
        zh: "智能矿山井下无人运输系统",
        en: "Driverless Underground Haulage for Smart Mines",
        techs: ["井下多源融合定位", "防爆电动底盘线控", "车路协同调度算法"],
        prose: "井下辅助运输用人多、事故率高。外方在封闭场景自动驾驶方面有成熟产品，双方将适配防爆要求，在晋城一座矿井完成连续三个月的无人运输示范。",
    },
    Topic {
        zh: "工业余热驱动的吸收式热泵",
        en: "Absorption Heat Pumps Driven by Industrial Waste Heat",
        techs: [
            "低品位热源换热强化",
            "溴化锂溶液防结晶控制",
            "多级热泵系统集成",
        ],
        prose: "焦化和钢铁企业大量低温余热直接排放。项目联合外方热泵企业，开发适用于八十度热源的二级吸收式热泵，为周边社区集中供暖，年节约标准煤两万吨。",
    },
    Topic {
        zh: "老年慢病远程监护可穿戴设备",
        en: "Wearable Remote Monitoring for Chronic Diseases in the Elderly",
        techs: ["柔性心电贴片", "低功耗蓝牙组网", "异常心律智能预警"],
        prose: "我省老龄化程度加深，县域慢病管理人手不足。外方医院提供临床验证方案，我方研制可连续佩戴七天的心电贴片，在社区卫生服务中心开展五百例随访。",
    },
    Topic {
        zh: "碳化硅功率模块封装",
        en: "Packaging of Silicon Carbide Power Modules",
        techs: ["银烧结互连工艺", "双面散热结构设计", "功率循环可靠性评估"],
        prose: "新能源汽车主驱逆变器对碳化硅模块需求旺盛，封装是国产化短板。外方提供烧结设备和可靠性标准，双方联合开发车规级半桥模块并完成十万次功率循环。",
    },
    Topic {
        zh: "中药材道地性溯源与品质评价",
        en: "Provenance Tracing and Quality Evaluation of Chinese Medicinal Herbs",
        techs: ["多元素指纹图谱", "近红外快速判别模型", "区块链溯源平台"],
        prose: "上党党参、恒山黄芪等道地药材常被外地货冒充。项目借助外方的同位素分析实验室，建立产地判别模型，并为合作社提供扫码溯源服务。",
    },
    Topic {
        zh: "城市污水厂低碳脱氮工艺",
        en: "Low-carbon Nitrogen Removal for Municipal Wastewater Plants",
        techs: ["厌氧氨氧化菌群富集", "侧流短程硝化控制", "曝气能耗优化模型"],
        prose: "污水处理厂曝气电耗占运行成本近半。外方拥有厌氧氨氧化工程经验，双方将在太原一座十万吨级水厂改造侧流工艺，吨水电耗下降百分之二十。",
    },
    Topic {
        zh: "高端轴承钢纯净化冶炼",
        en: "Clean Steelmaking for High-end Bearing Steel",
        techs: ["夹杂物形态控制", "真空脱气工艺优化", "超声探伤评级"],
        prose: "国产高端轴承钢疲劳寿命与进口产品仍有差距，关键在于氧化物夹杂。外方钢厂分享精炼渣系经验，双方在我方产线开展工业试验，氧含量控制在五个ppm以内。",
    },
    Topic {
        zh: "文物彩绘颜料无损分析",
        en: "Non-destructive Analysis of Pigments on Painted Cultural Relics",
        techs: ["便携式拉曼光谱", "高光谱成像比对", "颜料老化机理模拟"],
        prose: "山西古建彩绘和寺观壁画数量居全国前列，颜料褪变亟待研究。外方博物馆实验室带来便携式分析设备，双方对十处重点壁画开展原位检测并建立颜料数据库。",
    },
    Topic {
        zh: "锂电池回收湿法冶金短流程",
        en: "Short-route Hydrometallurgical Recycling of Lithium Batteries",
        techs: ["选择性浸出剂设计", "锂镍钴分离萃取", "废水零排放工艺"],
        prose: "退役动力电池将迎来高峰，现有回收流程长、酸耗大。外方在选择性浸出方面有专利，双方建设年处理五百吨的中试装置，锂回收率达到百分之九十以上。",
    },
    Topic {
        zh: "设施农业智能补光与环境调控",
        en: "Smart Supplementary Lighting and Climate Control in Greenhouses",
        techs: ["光配方动态优化", "温室能耗预测", "作物生长数字孪生"],
        prose: "北方日光温室冬季光照不足，补光能耗高。外方园艺研究所提供番茄光配方数据，双方开发按需补光控制器，在晋中园区实现单位产量能耗降低百分之十八。",
    },
    Topic {
        zh: "航空发动机叶片激光增材修复",
        en: "Laser Additive Repair of Aero-engine Blades",
        techs: ["熔池温度闭环控制", "修复区组织调控", "残余应力消除工艺"],
        prose: "发动机叶片磨损后整件报废代价高。外方掌握定向能量沉积修复认证经验，双方联合开发镍基高温合金叶尖修复工艺，并通过台架考核。",
    },
    Topic {
        zh: "黄河流域生态流量智能调度",
        en: "Intelligent Ecological Flow Regulation in the Yellow River Basin",
        techs: ["径流集合预报", "多目标水库调度", "鱼类栖息地评价"],
        prose: "汾河等支流枯水期生态流量难以保障。外方流域管理机构分享调度模型，双方构建面向生态目标的水库群调度系统，并在汾河上游开展一个汛期的试运行。",
    },
    Topic {
        zh: "煤层气井智能排采控制",
        en: "Intelligent Dewatering Control for Coalbed Methane Wells",
        techs: ["井底流压软测量", "排采制度自适应优化", "抽油机远程诊断"],
        prose: "沁水盆地煤层气井产量递减快，排采制度靠经验调整。外方油气服务公司提供井下传感和控制算法，双方在五十口井上试验自适应排采，单井日产气提高一成。",
    },
    Topic {
        zh: "高寒地区光储微电网",
        en: "Solar-storage Microgrids for Cold Highlands",
        techs: ["低温锂电池热管理", "光储协调控制策略", "离网黑启动保护"],
        prose: "对口援建地区海拔高、冬季漫长，牧区供电依赖柴油机。外方在极地微电网方面有运行数据，双方为三个乡镇建设光储微电网，冬季供电保证率达到百分之九十五。",
    },
    Topic {
        zh: "耐火材料窑炉智能运维",
        en: "Intelligent Maintenance of Refractory-lined Kilns",
        techs: ["炉衬侵蚀红外反演", "耐火砖寿命预测", "检修计划优化排程"],
        prose: "阳泉耐火材料产业集中，窑炉炉衬损坏常导致非计划停炉。外方窑炉制造商分享炉衬监测经验，双方开发侵蚀在线反演系统，把非计划停炉次数减半。",
    },
    Topic {
        zh: "杂粮功能食品加工",
        en: "Processing of Functional Foods from Minor Cereals",
        techs: ["燕麦β-葡聚糖提取", "苦荞黄酮保留工艺", "低升糖指数配方评价"],
        prose: "山西小米、燕麦、苦荞品质好但加工链条短。外方食品研究院具备功能成分评价平台，双方开发低升糖指数杂粮主食，并与两家龙头企业共建生产线。",
    },
    Topic {
        zh: "电网变压器局部放电在线监测",
        en: "Online Partial Discharge Monitoring of Power Transformers",
        techs: ["特高频传感器设计", "放电模式深度识别", "多站点数据融合诊断"],
        prose: "变压器绝缘故障多由局部放电发展而来。外方在特高频检测方面有成熟产品，双方在十座变电站布设监测终端，建立放电图谱库和分级预警规则。",
    },
    Topic {
        zh: "镁合金轻量化汽车部件",
        en: "Lightweight Magnesium Alloy Automotive Parts",
        techs: ["高强韧镁合金成分设计", "半固态压铸成形", "表面微弧氧化防护"],
        prose: "闻喜镁产业规模大但产品附加值低。外方汽车零部件企业提出轻量化需求，双方开发半固态压铸镁合金支架，单件减重三成并通过整车耐久试验。",
    },
    Topic {
        zh: "尘肺病早期影像智能筛查",
        en: "AI-assisted Early Imaging Screening for Pneumoconiosis",
        techs: ["胸片标准化预处理", "小阴影分级识别模型", "职业健康随访平台"],
        prose: "矿区尘肺病发现时多已进入中晚期。外方职业病研究中心提供分级标注数据，双方训练胸片筛查模型，在三家职业病防治机构开展一万例回顾性验证。",
    },
    Topic {
        zh: "古建筑木构件健康监测",
        en: "Structural Health Monitoring of Timber Members in Historic Buildings",
        techs: ["木材含水率无线传感", "榫卯节点变形监测", "结构安全评估模型"],
        prose: "山西现存早期木构建筑数量全国第一，木构件糟朽和节点松动威胁安全。外方遗产保护机构提供长期监测经验，双方为五处国保单位布设传感网络并建立评估模型。",
    },
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "郭", "马", "韩", "程", "冯", "宋",
];
const GIVEN: &[&str] = &[
    "志强", "海燕", "建华", "晓峰", "丽娜", "国栋", "文博", "雪梅", "振宇", "春生", "立新", "佳怡",
    "明远", "秀英", "子轩", "德胜",
];
pub const ENTERPRISES: &[&str] = &[
    "山西晋能科技有限公司",
    "太原重型机械集团有限公司",
    "山西潞安新材料有限公司",
    "晋城智矿科技有限公司",
    "大同绿源环保科技有限公司",
    "长治华能电子有限公司",
    "运城农科生物技术有限公司",
    "吕梁汾河新能源有限公司",
    "浙江海蓝科技有限公司",
    "杭州智芯微电子有限公司",
    "宁波甬新材料股份有限公司",
    "温州瓯越生物医药有限公司",
    "嘉兴禾丰智能装备有限公司",
    "绍兴越城能源科技有限公司",
    "湖州太湖环境工程有限公司",
    "金华婺星光电有限公司",
];
pub const UNIVERSITIES: &[&str] = &[
    "太原理工大学",
    "山西大学",
    "中北大学",
    "山西农业大学",
    "浙江大学",
    "浙江工业大学",
    "宁波大学",
    "杭州电子科技大学",
];

/// Partner institutions by country.
fn partner(iso: &str, k: usize) -> String {
    let list: &[&str] = match iso {
        "DE" => &[
            "Fraunhofer Institute for Ceramic Technologies and Systems",
            "Technical University of Munich",
            "RWTH Aachen University",
        ],
        "KZ" => &[
            "Al-Farabi Kazakh National University",
            "Satbayev University",
        ],
        "KR" => &[
            "Korea Institute of Energy Research",
            "Korea Advanced Institute of Science and Technology",
            "Hanyang University",
        ],
        "JP" => &["Tohoku University", "Kyoto University"],
        "SG" => &[
            "National University of Singapore",
            "Nanyang Technological University",
        ],
        "FI" => &[
            "VTT Technical Research Centre of Finland",
            "Aalto University",
            "University of Helsinki",
        ],
        "IL" => &[
            "Technion - Israel Institute of Technology",
            "Weizmann Institute of Science",
        ],
        "NO" => &["SINTEF", "Norwegian University of Science and Technology"],
        "ID" => &["Bandung Institute of Technology", "Universitas Indonesia"],
        "BR" => &["University of Sao Paulo"],
        _ => &["University of Cambridge"],
    };
    list[k % list.len()].to_string()
}

fn pi_name(k: usize) -> String {
    // Shifted past the 16th so that no two proposers share a name.
    format!(
        "{}{}",
        SURNAMES[k % SURNAMES.len()],
        GIVEN[(k * 7 + 3 + k / SURNAMES.len()) % GIVEN.len()]
    )
}

fn enterprise(k: usize) -> (String, (&'static str, &'static str)) {
    (
        ENTERPRISES[k % ENTERPRISES.len()].to_string(),
        ("企业", "enterprise"),
    )
}

fn university(k: usize) -> (String, (&'static str, &'static str)) {
    (
        UNIVERSITIES[k % UNIVERSITIES.len()].to_string(),
        ("高等院校", "university"),
    )
}

fn ind(kind: &'static str, n: u32, text: String) -> (&'static str, u32, String) {
    (kind, n, text)
}

/// A proposal that satisfies every checkable rule of `call` in `direction`.
fn clean(call: Call, k: usize, direction: &'static str) -> App {
    let (applicant, applicant_type) = match (call, direction) {
        (Call::Most, "sg-flagship") => university(k),
        (Call::Zhejiang, _) | (Call::Most, _) | (Call::Shanxi, _) => enterprise(k),
    };
    let country = match direction {
        "belt-and-road" => ("KZ", "哈萨克斯坦"),
        "key-country" | "base-platform" | "regional" | "aid" => ("DE", "德国"),
        "kr-energy" | "kr-industry" => ("KR", "韩国"),
        "id-joint" => ("ID", "印度尼西亚"),
        "kh-joint" => ("KH", "柬埔寨"),
        "sg-flagship" => ("SG", "新加坡"),
        "intergov-finland" => ("FI", "芬兰"),
        "intergov-israel" => ("IL", "以色列"),
        "intergov-norway" => ("NO", "挪威"),
        _ => ("FI", "芬兰"),
    };
    let months = match call {
        Call::Shanxi => 24 + 12 * (k as u32 % 2),
        Call::Most => match direction {
            "id-joint" | "kh-joint" => 24,
            _ => 36,
        },
        Call::Zhejiang => 36,
    };
    let (requested, matching) = match (call, direction) {
        (Call::Shanxi, "aid") => (20.0, 40.0),
        (Call::Shanxi, _) => (40.0, 100.0),
        (Call::Most, _) => (600.0, 600.0),
        (Call::Zhejiang, "paired-aid") => (50.0, 100.0),
        (Call::Zhejiang, _) => (120.0, 360.0),
    };
    let indicators = vec![
        ind("paper", 2, "与外方合作伙伴共同发表论文2篇".into()),
        ind("patent", 3, "共同申请发明专利3项".into()),
        ind(
            "visit",
            2,
            "接待外方合作伙伴来华开展合作研究2人，每人累计不少于1个月".into(),
        ),
        ind(
            "workshop",
            2,
            "共同举办国际研讨会2次，每次参会50人以上".into(),
        ),
    ];
    let start = (2025, 1);
    let end = end_of(start, months);
    App {
        case: format!("clean-{k}"),
        folder: Some(direction),
        ticked: vec![direction],
        direction: Some(direction),
        topic: k % TOPICS.len(),
        applicant,
        applicant_type,
        pi_name: pi_name(k),
        birth: (
            1975 + (k as u32 % 15),
            1 + (k as u32 % 12),
            1 + (k as u32 * 3 % 28),
        ),
        title: ["研究员", "教授", "正高级工程师", "副研究员"][k % 4],
        country,
        partner: partner(country.0, k),
        english_name: true,
        blank: Vec::new(),
        start,
        months,
        requested,
        matching,
        trl: (4, 6),
        indicators,
        agreement: Some(Agreement {
            english: true,
            ip_clause: true,
            from: (2024, 12, 1),
            to: (end.0 + 1, end.1, 28),
        }),
        reworded: false,
        expect: Vec::new(),
        twin_of: Vec::new(),
        // Only the Shanxi notice asks when the unit was registered.
        registered: (call == Call::Shanxi).then_some((2016, 4, 20)),
        novelty: (2024, 6, 18),
        sealed: false,
    }
}

/// (year, month) of the last month of a `months`-long period.
fn end_of(start: (u32, u32), months: u32) -> (u32, u32) {
    let m0 = start.0 * 12 + (start.1 - 1) + months - 1;
    (m0 / 12, m0 % 12 + 1)
}

/// The cases of a call: clean proposals, then one per rule broken.
pub fn cases(call: Call) -> Vec<App> {
    let mut v: Vec<App> = Vec::new();
    let mut k = 0usize;
    let mut next = |dir: &'static str| {
        k += 1;
        clean(call, k, dir)
    };
    let broken = |mut a: App, case: &str, expect: &[&'static str]| {
        a.case = case.to_string();
        a.expect = expect.to_vec();
        a.expect.sort_unstable();
        a
    };
    match call {
        Call::Shanxi => {
            v.push(next("belt-and-road"));
            // Just inside every limit: 副教授 (副高) is enough, born on the
            // day, funding at the cap with 2:1 matching, 24 months, an
            // agreement from the first to the last day, registered and
            // searched on the last and first allowed days.
            let mut a = next("key-country");
            a.title = "副教授";
            a.birth = (1967, 1, 1);
            a.requested = 50.0;
            a.matching = 100.0;
            a.months = 24;
            if let Some(ag) = &mut a.agreement {
                ag.from = (2025, 1, 1);
                ag.to = (2026, 12, 31);
            }
            a.registered = Some((2023, 1, 1));
            a.novelty = (2024, 5, 2);
            // The one agreement that carries the applicant's seal.
            a.sealed = true;
            a.twin_of = vec![
                "SEAL_MISSING",
                "PI_TITLE_NOT_ELIGIBLE",
                "PI_AGE_LIMIT",
                "FUNDING_CAP_EXCEEDED",
                "MATCHING_RATIO_LOW",
                "PERIOD_OUT_OF_RANGE",
                "AGREEMENT_NOT_COVERING_PERIOD",
                "ORG_REGISTERED_TOO_LATE",
                "NOVELTY_REPORT_OUTDATED",
                "PARTNER_NOT_ELIGIBLE",
                "AGREEMENT_NOT_BILINGUAL",
                "AGREEMENT_NO_IP_CLAUSE",
            ];
            v.push(a);
            let mut a = next("aid");
            a.requested = 25.0;
            a.matching = 50.0;
            a.twin_of = vec!["FUNDING_CAP_EXCEEDED"];
            v.push(a);
            // Direction from the form alone (no region folder).
            let mut a = next("regional");
            a.folder = None;
            a.case = "clean-form-direction".into();
            v.push(a);
            let mut a = next("key-country");
            a.country = ("BR", "巴西");
            a.partner = partner("BR", 0);
            v.push(broken(a, "partner-not-eligible", &["PARTNER_NOT_ELIGIBLE"]));
            let mut a = next("belt-and-road");
            a.birth = (1964, 3, 8);
            v.push(broken(a, "pi-too-old", &["PI_AGE_LIMIT"]));
            // 副高 or higher, or a doctorate: an engineer is below it.
            let mut a = next("belt-and-road");
            a.title = "工程师";
            v.push(broken(a, "pi-title-low", &["PI_TITLE_NOT_ELIGIBLE"]));
            let mut a = next("key-country");
            a.requested = 80.0;
            a.matching = 200.0;
            v.push(broken(a, "funding-cap", &["FUNDING_CAP_EXCEEDED"]));
            let mut a = next("belt-and-road");
            a.matching = 60.0;
            v.push(broken(a, "matching-ratio", &["MATCHING_RATIO_LOW"]));
            let mut a = next("key-country");
            a.months = 12;
            v.push(broken(a, "period-short", &["PERIOD_OUT_OF_RANGE"]));
            let mut a = next("belt-and-road");
            a.agreement = None;
            v.push(broken(a, "no-agreement", &["AGREEMENT_MISSING"]));
            let mut a = next("key-country");
            if let Some(ag) = &mut a.agreement {
                ag.to = (2025, 12, 31);
            }
            v.push(broken(
                a,
                "agreement-short",
                &["AGREEMENT_NOT_COVERING_PERIOD"],
            ));
            let mut a = next("belt-and-road");
            if let Some(ag) = &mut a.agreement {
                ag.english = false;
            }
            v.push(broken(
                a,
                "agreement-chinese-only",
                &["AGREEMENT_NOT_BILINGUAL"],
            ));
            let mut a = next("key-country");
            if let Some(ag) = &mut a.agreement {
                ag.ip_clause = false;
            }
            v.push(broken(a, "agreement-no-ip", &["AGREEMENT_NO_IP_CLAUSE"]));
            // Filed under 一带一路 but the form ticks 重点国别.
            let mut a = next("key-country");
            a.folder = Some("belt-and-road");
            a.direction = Some("belt-and-road");
            a.country = ("KZ", "哈萨克斯坦");
            a.partner = partner("KZ", 1);
            v.push(broken(a, "folder-vs-form", &["CATEGORY_MISMATCH"]));
            let mut a = next("regional");
            a.blank = vec!["pi"];
            v.push(broken(a, "no-pi", &["MISSING_FIELD"]));
            let mut a = next("aid");
            a.requested = 30.0;
            a.matching = 60.0;
            v.push(broken(a, "aid-funding-cap", &["FUNDING_CAP_EXCEEDED"]));
            let mut a = next("belt-and-road");
            a.registered = Some((2023, 1, 2));
            v.push(broken(a, "registered-late", &["ORG_REGISTERED_TOO_LATE"]));
            let mut a = next("key-country");
            a.novelty = (2024, 5, 1);
            v.push(broken(a, "novelty-outdated", &["NOVELTY_REPORT_OUTDATED"]));
            // One proposer in two proposals (同一年度限申报1项).
            let mut a = next("belt-and-road");
            let mut b = next("key-country");
            b.pi_name = a.pi_name.clone();
            b.birth = a.birth;
            a = broken(a, "same-pi-1", &["DUPLICATE_SUBMISSION"]);
            v.push(a);
            v.push(broken(b, "same-pi-2", &["DUPLICATE_SUBMISSION"]));
            // One project sent unchanged by two units.
            let a = next("key-country");
            let mut b = a.clone();
            (b.applicant, b.applicant_type) = enterprise(13);
            b.pi_name = "鲁建平".into();
            b.birth = (1979, 6, 6);
            v.push(broken(a, "same-name-1", &["DUPLICATE_SUBMISSION"]));
            v.push(broken(b, "same-name-2", &["DUPLICATE_SUBMISSION"]));
            // The same proposal sent again by another unit and proposer,
            // renamed and reworded.
            let first = v[0].clone();
            let mut a = first.clone();
            a.reworded = true;
            (a.applicant, a.applicant_type) = enterprise(11);
            a.pi_name = "钱文涛".into();
            a.birth = (1981, 2, 2);
            v.push(broken(a, "duplicate", &["DUPLICATE_SUBMISSION"]));
            v[0].expect = vec!["DUPLICATE_SUBMISSION"];
            v[0].case = "duplicated".into();
        }
        Call::Most => {
            // The clean proposals sit just inside their direction's limits.
            let mut a = next("kr-energy");
            a.indicators = vec![
                ind("paper", 1, "与外方合作伙伴共同发表论文1篇".into()),
                ind("patent", 2, "共同申请发明专利2项".into()),
                ind(
                    "visit",
                    2,
                    "接待外方合作伙伴来华开展合作研究2人，每人累计不少于1个月".into(),
                ),
                ind(
                    "workshop",
                    2,
                    "共同举办国际研讨会2次，每次参会50人以上".into(),
                ),
            ];
            a.requested = 1500.0;
            a.twin_of = vec![
                "PARTNER_NOT_ELIGIBLE",
                "PERIOD_OUT_OF_RANGE",
                "APPLICANT_TYPE_NOT_ALLOWED",
                "INDICATOR_BELOW_MINIMUM:paper",
                "INDICATOR_BELOW_MINIMUM:patent",
                "INDICATOR_BELOW_MINIMUM:visit",
                "INDICATOR_BELOW_MINIMUM:workshop",
                "FUNDING_CAP_EXCEEDED",
            ];
            v.push(a);
            let mut a = next("kr-industry");
            a.indicators[1] = ind("patent", 2, "共同申请发明专利2项".into());
            a.requested = 1800.0;
            a.twin_of = vec![
                "PERIOD_OUT_OF_RANGE",
                "INDICATOR_BELOW_MINIMUM:paper",
                "INDICATOR_BELOW_MINIMUM:patent",
                "INDICATOR_BELOW_MINIMUM:workshop",
                "FUNDING_CAP_EXCEEDED",
            ];
            v.push(a);
            let mut a = next("id-joint");
            a.requested = 1200.0;
            a.twin_of = vec!["PERIOD_OUT_OF_RANGE", "FUNDING_CAP_EXCEEDED"];
            v.push(a);
            let mut a = next("sg-flagship");
            a.requested = 4500.0;
            a.twin_of = vec![
                "PERIOD_OUT_OF_RANGE",
                "APPLICANT_TYPE_NOT_ALLOWED",
                "AGREEMENT_NO_IP_CLAUSE",
                "FUNDING_CAP_EXCEEDED",
            ];
            v.push(a);
            let mut a = next("kr-energy");
            a.country = ("JP", "日本");
            a.partner = partner("JP", 0);
            v.push(broken(a, "partner-not-eligible", &["PARTNER_NOT_ELIGIBLE"]));
            let mut a = next("kr-energy");
            a.months = 24;
            v.push(broken(a, "period", &["PERIOD_OUT_OF_RANGE"]));
            let mut a = next("kr-energy");
            (a.applicant, a.applicant_type) = university(2);
            v.push(broken(a, "applicant-type", &["APPLICANT_TYPE_NOT_ALLOWED"]));
            let mut a = next("kr-energy");
            a.indicators[1] = ind("patent", 1, "共同申请发明专利1项".into());
            v.push(broken(a, "indicator", &["INDICATOR_BELOW_MINIMUM"]));
            let mut a = next("kr-industry");
            a.requested = 2000.0;
            a.matching = 2000.0;
            v.push(broken(a, "funding-cap", &["FUNDING_CAP_EXCEEDED"]));
            let mut a = next("id-joint");
            a.english_name = false;
            v.push(broken(a, "no-english-name", &["MISSING_FIELD"]));
            let mut a = next("sg-flagship");
            a.agreement = None;
            v.push(broken(a, "no-agreement", &["AGREEMENT_MISSING"]));
            // The form ticks two directions.
            let mut a = next("kr-energy");
            a.folder = None;
            a.ticked = vec!["kr-energy", "kr-industry"];
            a.direction = None;
            v.push(broken(a, "two-directions", &["CATEGORY_MISMATCH"]));
            let mut a = next("sg-flagship");
            (a.applicant, a.applicant_type) = enterprise(3);
            v.push(broken(a, "sg-enterprise", &["APPLICANT_TYPE_NOT_ALLOWED"]));
            let mut a = next("kr-industry");
            a.months = 48;
            v.push(broken(a, "period-long", &["PERIOD_OUT_OF_RANGE"]));
            let mut a = next("kh-joint");
            a.blank = vec!["partner"];
            v.push(broken(a, "no-partner", &["MISSING_FIELD"]));
            let mut a = next("kr-energy");
            a.indicators[3] = ind("workshop", 1, "共同举办国际研讨会1次，参会50人以上".into());
            v.push(broken(a, "workshops", &["INDICATOR_BELOW_MINIMUM"]));
            let mut a = next("sg-flagship");
            if let Some(ag) = &mut a.agreement {
                ag.ip_clause = false;
            }
            v.push(broken(a, "sg-no-ip", &["AGREEMENT_NO_IP_CLAUSE"]));
            let mut a = next("kr-energy");
            a.indicators.remove(0);
            a.indicators[1] = ind(
                "visit",
                1,
                "接待外方合作伙伴来华开展合作研究1人，累计不少于1个月".into(),
            );
            v.push(broken(
                a,
                "no-paper-one-visit",
                &["INDICATOR_BELOW_MINIMUM"],
            ));
            let mut a = next("kr-energy");
            a.requested = 1600.0;
            v.push(broken(a, "energy-funding-cap", &["FUNDING_CAP_EXCEEDED"]));
            let mut a = next("kr-industry");
            a.indicators = vec![
                ind("paper", 1, "与外方合作伙伴共同发表论文1篇".into()),
                ind("patent", 1, "共同申请发明专利1项".into()),
                ind("workshop", 1, "共同举办国际研讨会1次，参会50人以上".into()),
            ];
            v.push(broken(
                a,
                "industry-indicators",
                &["INDICATOR_BELOW_MINIMUM"],
            ));
            let mut a = next("id-joint");
            a.months = 36;
            v.push(broken(a, "id-period", &["PERIOD_OUT_OF_RANGE"]));
            let mut a = next("kh-joint");
            a.requested = 1300.0;
            v.push(broken(a, "kh-funding-cap", &["FUNDING_CAP_EXCEEDED"]));
            let mut a = next("sg-flagship");
            a.months = 24;
            v.push(broken(a, "sg-period", &["PERIOD_OUT_OF_RANGE"]));
            let mut a = next("sg-flagship");
            a.requested = 5000.0;
            v.push(broken(a, "sg-funding-cap", &["FUNDING_CAP_EXCEEDED"]));
            let mut a = next("id-joint");
            a.blank = vec!["pi"];
            v.push(broken(a, "no-pi", &["MISSING_FIELD"]));
            let mut a = next("id-joint");
            a.indicators.clear();
            v.push(broken(a, "no-indicators", &["MISSING_FIELD"]));
            let mut a = next("kh-joint");
            a.blank = vec!["name"];
            v.push(broken(a, "no-name", &["MISSING_FIELD"]));
        }
        Call::Zhejiang => {
            let mut a = next("intergov-finland");
            a.requested = 150.0;
            a.twin_of = vec![
                "PARTNER_NOT_ELIGIBLE",
                "APPLICANT_TYPE_NOT_ALLOWED",
                "FUNDING_CAP_EXCEEDED",
                "PERIOD_OUT_OF_RANGE",
                "AGREEMENT_NO_IP_CLAUSE",
            ];
            v.push(a);
            v.push(next("intergov-israel"));
            let mut a = next("carrier");
            a.requested = 150.0;
            a.twin_of = vec!["FUNDING_CAP_EXCEEDED", "AGREEMENT_NO_IP_CLAUSE"];
            v.push(a);
            // A university may lead here, unlike the intergovernmental ones.
            let mut a = next("paired-aid");
            (a.applicant, a.applicant_type) = university(4);
            a.requested = 60.0;
            a.twin_of = vec![
                "APPLICANT_TYPE_NOT_ALLOWED",
                "FUNDING_CAP_EXCEEDED",
                "AGREEMENT_NO_IP_CLAUSE",
            ];
            v.push(a);
            let mut a = next("intergov-finland");
            a.country = ("DE", "德国");
            a.partner = partner("DE", 2);
            v.push(broken(a, "partner-not-eligible", &["PARTNER_NOT_ELIGIBLE"]));
            let mut a = next("intergov-norway");
            (a.applicant, a.applicant_type) = university(5);
            v.push(broken(a, "applicant-type", &["APPLICANT_TYPE_NOT_ALLOWED"]));
            let mut a = next("intergov-israel");
            a.requested = 200.0;
            a.matching = 400.0;
            v.push(broken(a, "funding-cap", &["FUNDING_CAP_EXCEEDED"]));
            // 40–60万: below is a warning of its own, not "cap exceeded";
            // the range's ends are inside it.
            let mut a = next("paired-aid");
            a.requested = 30.0;
            v.push(broken(a, "funding-below-range", &["FUNDING_BELOW_RANGE"]));
            let mut a = next("paired-aid");
            a.requested = 40.0;
            a.case = "clean-funding-range-edge".into();
            a.twin_of = vec!["FUNDING_BELOW_RANGE"];
            v.push(a);
            let mut a = next("paired-aid");
            a.requested = 61.0;
            a.matching = 122.0;
            v.push(broken(a, "funding-above-range", &["FUNDING_CAP_EXCEEDED"]));
            let mut a = next("carrier");
            a.months = 48;
            if let Some(ag) = &mut a.agreement {
                ag.to = (2030, 12, 31);
            }
            v.push(broken(a, "period-long", &["PERIOD_OUT_OF_RANGE"]));
            let mut a = next("intergov-finland");
            a.agreement = None;
            v.push(broken(a, "no-agreement", &["AGREEMENT_MISSING"]));
            let mut a = next("carrier");
            if let Some(ag) = &mut a.agreement {
                ag.ip_clause = false;
            }
            v.push(broken(a, "agreement-no-ip", &["AGREEMENT_NO_IP_CLAUSE"]));
            let mut a = next("intergov-uk-midlands");
            a.country = ("GB", "英国");
            a.partner = "University of Nottingham".into();
            a.case = "clean-uk".into();
            v.push(a);
            let mut a = next("paired-aid");
            a.agreement = None;
            v.push(broken(a, "aid-no-agreement", &["AGREEMENT_MISSING"]));
            let mut a = next("intergov-israel");
            if let Some(ag) = &mut a.agreement {
                ag.ip_clause = false;
            }
            v.push(broken(a, "intergov-no-ip", &["AGREEMENT_NO_IP_CLAUSE"]));
            let mut a = next("carrier");
            a.agreement = None;
            v.push(broken(a, "carrier-no-agreement", &["AGREEMENT_MISSING"]));
            let mut a = next("paired-aid");
            if let Some(ag) = &mut a.agreement {
                ag.ip_clause = false;
            }
            v.push(broken(a, "aid-no-ip", &["AGREEMENT_NO_IP_CLAUSE"]));
            // Neither enterprise, university nor institute.
            let mut a = next("paired-aid");
            a.applicant = "浙江省科技交流促进会".into();
            a.applicant_type = ("其他", "other");
            v.push(broken(
                a,
                "aid-applicant-type",
                &["APPLICANT_TYPE_NOT_ALLOWED"],
            ));
            // Two carrier proposals from one unit (每个载体限报1项).
            let mut a = next("carrier");
            a.applicant = v[2].applicant.clone();
            v.push(broken(a, "carrier-twice", &["DUPLICATE_SUBMISSION"]));
            v[2].expect = vec!["DUPLICATE_SUBMISSION"];
            v[2].case = "carrier-twice-first".into();
        }
    }
    if call == Call::Shanxi {
        // The generated documents carry no seal image but one, and the
        // Shanxi rule wants the unit's seal on the agreement: every other
        // proposal that has one is rightly SEAL_MISSING.
        for a in v.iter_mut().filter(|a| a.agreement.is_some() && !a.sealed) {
            a.expect.push("SEAL_MISSING");
            a.expect.sort_unstable();
        }
    }
    v
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn para(text: &str) -> String {
    format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    )
}

fn heading(text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val=\"32\"/></w:rPr><w:t>{}</w:t></w:r></w:p>",
        esc(text)
    )
}

/// A table of rows of (text, grid span) cells; a cell's `\n` splits paragraphs.
fn table(rows: &[Vec<(String, u32)>], cols: u32) -> String {
    let w = 8300 / cols;
    let mut s = String::from(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr><w:tblGrid>",
    );
    for _ in 0..cols {
        s.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    s.push_str("</w:tblGrid>");
    for row in rows {
        s.push_str("<w:tr>");
        for (text, span) in row {
            s.push_str("<w:tc><w:tcPr>");
            if *span > 1 {
                s.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
            }
            s.push_str(&format!(
                "<w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>",
                w * span
            ));
            for line in text.split('\n') {
                s.push_str(&para(line));
            }
            s.push_str("</w:tc>");
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

fn zh_date(d: (u32, u32, u32)) -> String {
    format!("{}年{}月{}日", d.0, d.1, d.2)
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn en_date(d: (u32, u32, u32)) -> String {
    format!("{} {}, {}", MONTHS_EN[(d.1 as usize + 11) % 12], d.2, d.0)
}

fn project_name(a: &App) -> String {
    if a.blank.contains(&"name") {
        String::new()
    } else if a.reworded {
        format!("面向产业应用的{}联合攻关", TOPICS[a.topic].zh)
    } else {
        TOPICS[a.topic].zh.to_string() + "国际合作研究"
    }
}

/// The topic's key technologies in the order the form lists them.
fn techs(a: &App) -> Vec<&'static str> {
    let mut v = TOPICS[a.topic].techs.to_vec();
    if a.reworded {
        v.reverse();
    }
    v
}

/// The topic's paragraph as the form gives it: a reworded copy has its
/// sentences in reverse order and a few words swapped for synonyms.
fn prose(a: &App) -> String {
    let p = TOPICS[a.topic].prose;
    if !a.reworded {
        return p.to_string();
    }
    let mut sentences: Vec<&str> = p.split_inclusive('。').collect();
    sentences.reverse();
    sentences
        .concat()
        .replace("双方", "中外双方")
        .replace("项目", "本课题")
        .replace("开发", "研制")
}

fn checkboxes(call: Call, ticked: &[&str], box_after: bool) -> String {
    call.directions()
        .iter()
        .map(|(id, name)| {
            let b = if ticked.contains(id) { '☑' } else { '☐' };
            if box_after {
                format!("{name}{b}")
            } else {
                format!("{b}{name}")
            }
        })
        .collect::<Vec<_>>()
        .join("  ")
}

/// The application book (申报书).
fn application_book(call: Call, a: &App) -> Vec<u8> {
    let t = &TOPICS[a.topic];
    let name = project_name(a);
    let end = end_of(a.start, a.months);
    let types = ["企业", "高等院校", "科研院所", "其他"]
        .iter()
        .map(|x| {
            format!(
                "{}{x}",
                if *x == a.applicant_type.0 {
                    '☑'
                } else {
                    '☐'
                }
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let c = |s: &str| (s.to_string(), 1u32);
    let wide = |s: String| (s, 3u32);
    let no_pi = a.blank.contains(&"pi");
    // Forms differ from office to office: three wordings and formats.
    let style = a.topic % 3;
    let pick = |opts: [&'static str; 3]| opts[style];
    let date = |d: (u32, u32, u32)| match style {
        1 => format!("{}.{:02}.{:02}", d.0, d.1, d.2),
        2 => format!("{}-{:02}-{:02}", d.0, d.1, d.2),
        _ => zh_date(d),
    };
    let birth = date(a.birth);
    let money = |w: f64| match style {
        2 => format!("{}元", thousands((w * 10000.0).round() as u64)),
        _ => fmt_num(w),
    };
    let money_label = |zh: &str| match style {
        2 => zh.to_string(),
        _ => format!("{zh}（万元）"),
    };
    let mut rows: Vec<Vec<(String, u32)>> = vec![
        vec![c("项目名称"), wide(name.clone())],
        vec![
            c("英文名称"),
            wide(if a.english_name {
                t.en.to_string()
            } else {
                String::new()
            }),
        ],
        vec![
            c(pick(["项目类别", "项目类型", "申报方向"])),
            wide(checkboxes(call, &a.ticked, style == 1)),
        ],
        vec![
            c(pick(["申报单位", "申请单位", "项目承担单位"])),
            wide(a.applicant.clone()),
        ],
        vec![c("单位性质"), wide(types)],
    ];
    if let Some(r) = a.registered {
        rows.push(vec![
            c(pick(["单位注册时间", "成立日期", "注册（成立）日期"])),
            wide(date(r)),
        ]);
    }
    rows.extend([
        vec![
            c(pick(["项目负责人", "负责人姓名", "项目负责人姓名"])),
            c(if no_pi { "" } else { &a.pi_name }),
            c("出生日期"),
            c(if no_pi { "" } else { &birth }),
        ],
        vec![
            c(pick(["职称", "技术职称", "专业技术职称"])),
            c(if no_pi { "" } else { a.title }),
            c(pick(["合作国家", "合作国别（地区）", "外方国别"])),
            c(a.country.1),
        ],
        vec![
            c(pick(["外方合作单位", "外方合作机构", "国外合作单位"])),
            wide(if a.blank.contains(&"partner") {
                String::new()
            } else {
                a.partner.clone()
            }),
        ],
        vec![
            c(pick(["起止年限", "项目执行期", "实施期限"])),
            wide(match style {
                1 => format!("{}.{:02}—{}.{:02}", a.start.0, a.start.1, end.0, end.1),
                _ => format!("{}年{}月至{}年{}月", a.start.0, a.start.1, end.0, end.1),
            }),
        ],
        vec![
            c(&money_label(pick([
                "申请经费",
                "申请财政资金",
                "申请专项资金",
            ]))),
            c(&money(a.requested)),
            c(&money_label(pick(["自筹经费", "单位自筹资金", "配套资金"]))),
            c(&money(a.matching)),
        ],
        vec![
            c("技术成熟度"),
            wide(format!("当前{}级，目标{}级", a.trl.0, a.trl.1)),
        ],
        vec![
            c("关键技术"),
            wide(
                techs(a)
                    .iter()
                    .enumerate()
                    .map(|(i, x)| format!("{}.{x}", i + 1))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ],
        vec![
            c("考核指标"),
            wide(
                a.indicators
                    .iter()
                    .enumerate()
                    .map(|(i, x)| format!("{}.{}", i + 1, x.2))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ],
    ]);
    let mut body = heading(&format!("{}申报书", call_title(call)));
    body.push_str(&table(&rows, 4));
    body.push_str(&para("一、项目实施的必要性"));
    body.push_str(&para(&prose(a)));
    body.push_str(&para("二、合作基础"));
    body.push_str(&para(&format!(
        "{}与{}已有三年以上合作，围绕{}开展过人员互访和联合实验。",
        a.applicant, a.partner, t.zh
    )));
    docx(&body)
}

fn call_title(call: Call) -> &'static str {
    match call {
        Call::Shanxi => "2024年度山西省科技合作交流专项",
        Call::Most => "“政府间国际科技创新合作”重点专项",
        Call::Zhejiang => "2025年度“尖兵”“领雁”研发攻关计划科技合作领域项目",
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The cooperation agreement (合作协议), Chinese then (optionally) English.
fn agreement_doc(a: &App, ag: &Agreement) -> Vec<u8> {
    let t = &TOPICS[a.topic];
    let mut body = heading("国际科技合作协议");
    body.push_str(&para(&format!("甲方：{}", a.applicant)));
    body.push_str(&para(&format!("乙方：{}", a.partner)));
    body.push_str(&para(&format!(
        "一、合作内容：双方同意围绕“{}”开展联合研究，共同制定研究计划并定期交换研究数据。",
        project_name(a)
    )));
    body.push_str(&para(
        "二、任务分工：甲方负责工艺开发和示范应用，乙方负责关键装备和测试分析，双方互派人员开展合作研究。",
    ));
    if ag.ip_clause {
        body.push_str(&para(
            "三、成果归属：合作中产生的知识产权由双方共同所有，任何一方转让或许可第三方使用须经另一方书面同意，收益按双方投入比例分配。",
        ));
    } else {
        body.push_str(&para(
            "三、成果交流：双方及时交流研究进展，联合发表的成果署名由双方协商确定。",
        ));
    }
    body.push_str(&para(
        "四、经费：双方各自承担本方人员和设备费用，共同费用另行商定。",
    ));
    body.push_str(&para(&format!(
        "五、有效期：本协议有效期自{}至{}。",
        zh_date(ag.from),
        zh_date(ag.to)
    )));
    if ag.english {
        body.push_str(&heading(
            "International Science and Technology Cooperation Agreement",
        ));
        body.push_str(&para(&format!("Party A: {}", a.applicant)));
        body.push_str(&para(&format!("Party B: {}", a.partner)));
        body.push_str(&para(&format!(
            "1. Scope. The Parties agree to carry out joint research on {}, to draw up a common research plan and to exchange research data regularly.",
            t.en
        )));
        body.push_str(&para(
            "2. Division of work. Party A is responsible for process development and demonstration; Party B provides key equipment and testing, and both Parties exchange researchers.",
        ));
        if ag.ip_clause {
            body.push_str(&para(
                "3. Intellectual property. Intellectual property arising from the cooperation is jointly owned by the Parties; neither Party shall transfer or license it to a third party without the written consent of the other.",
            ));
        } else {
            body.push_str(&para(
                "3. Exchange of results. The Parties share progress in good time; authorship of joint publications is agreed between them.",
            ));
        }
        body.push_str(&para(&format!(
            "4. Term. This Agreement shall be valid from {} to {}.",
            en_date(ag.from),
            en_date(ag.to)
        )));
    }
    body.push_str(&para(&format!(
        "甲方（盖章）：{}            乙方（签字）：{}",
        a.applicant, a.partner
    )));
    if a.sealed {
        debug_assert_eq!(a.applicant, SEALED_APPLICANT);
        body.push_str(&seal_drawing());
        return docx_with_picture(&body, SEAL_PNG);
    }
    docx(&body)
}

/// A round seal of [`SEALED_APPLICANT`], 292 px across on a 340 px square,
/// rendered once by the ignored test `render_seal_asset` (which needs a
/// CJK font), so that writing the batch needs none.
const SEAL_PNG: &[u8] = include_bytes!("../assets/seal-applicant.png");
const SEALED_APPLICANT: &str = "山西潞安新材料有限公司";

/// A DOCX package around `body` holding `png` as `word/media/image1.png`
/// (relationship `rId1`).
fn docx_with_picture(body: &str, png: &[u8]) -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let doc_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let mut z = RawZip::new();
    z.file(
        Name::Raw(b"[Content_Types].xml".to_vec()),
        types.as_bytes(),
        true,
    )
    .file(Name::Raw(b"_rels/.rels".to_vec()), rels.as_bytes(), true)
    .file(
        Name::Raw(b"word/document.xml".to_vec()),
        doc.as_bytes(),
        true,
    )
    .file(
        Name::Raw(b"word/_rels/document.xml.rels".to_vec()),
        doc_rels.as_bytes(),
        true,
    )
    .file(Name::Raw(b"word/media/image1.png".to_vec()), png, false);
    z.finish()
}

/// An inline 42 mm picture of relationship `rId1`.
fn seal_drawing() -> String {
    let emu = 1_760_000; // 340 px of a 292 px, 42 mm seal: 49 mm
    format!(
        "<w:p><w:r><w:drawing><wp:inline><wp:extent cx=\"{emu}\" cy=\"{emu}\"/><wp:docPr id=\"1\" name=\"seal\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"1\" name=\"seal.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rId1\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{emu}\" cy=\"{emu}\"/></a:xfrm><a:prstGeom prst=\"rect\"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
}

/// The 查新机构 of every generated novelty-search report.
const NOVELTY_AGENCY: &str = "山西省科学技术情报研究所";

/// The novelty-search report (查新报告), an attachment.
fn novelty_report(a: &App) -> Vec<u8> {
    let mut body = heading("科技查新报告");
    body.push_str(&para(&format!("查新项目名称：{}", project_name(a))));
    body.push_str(&para(&format!("委托单位：{}", a.applicant)));
    body.push_str(&para(&format!("查新机构：{NOVELTY_AGENCY}")));
    body.push_str(&para(
        "查新结论：在所检索的国内外文献范围内，未见与本项目技术要点完全相同的公开报道。",
    ));
    body.push_str(&para(&format!("查新完成日期：{}", zh_date(a.novelty))));
    docx(&body)
}

/// One `truth.jsonl` line of an application batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppTruth {
    pub container: Vec<String>,
    /// The application book's path.
    pub path: String,
    pub case: String,
    pub direction: Option<String>,
    /// Finding codes intake must report on this proposal, and only these.
    pub expect: Vec<String>,
    /// Rules (`CODE` or `CODE:param`) this proposal is the boundary twin of:
    /// just inside their limit, so their codes are not in `expect`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub twin_of: Vec<String>,
    pub fields: Fields,
}

/// A written batch: files under `inbox/` and the truth.
pub struct AppBatch {
    pub files: Vec<(String, Vec<u8>)>,
    pub truth: Vec<AppTruth>,
}

fn truth_fields(a: &App) -> Fields {
    let end = end_of(a.start, a.months);
    Fields {
        project_name: Some(project_name(a)).filter(|n| !n.is_empty()),
        project_name_en: a.english_name.then(|| TOPICS[a.topic].en.to_string()),
        applicant: Some(a.applicant.clone()),
        applicant_type: Some(a.applicant_type.1.to_string()),
        pi: (!a.blank.contains(&"pi")).then(|| Pi {
            name: a.pi_name.clone(),
            birth_date: Some(format!(
                "{:04}-{:02}-{:02}",
                a.birth.0, a.birth.1, a.birth.2
            )),
            title: Some(a.title.to_string()),
        }),
        partner_countries: vec![a.country.0.to_string()],
        partner_institution: (!a.blank.contains(&"partner")).then(|| a.partner.clone()),
        key_technologies: techs(a).iter().map(|s| s.to_string()).collect(),
        trl: Some(Trl {
            current: a.trl.0,
            target: Some(a.trl.1),
        }),
        indicators: a
            .indicators
            .iter()
            .map(|(k, n, t)| Indicator {
                kind: k.to_string(),
                count: Some(f64::from(*n)),
                text: t.clone(),
            })
            .collect(),
        funding: Some(Funding {
            requested_wan: Some(a.requested),
            matching_wan: Some(a.matching),
        }),
        execution_period: Some(Period {
            start: Some(format!("{:04}-{:02}", a.start.0, a.start.1)),
            end: Some(format!("{:04}-{:02}", end.0, end.1)),
        }),
        agreement: a.agreement.as_ref().map(|ag| {
            let d = |x: (u32, u32, u32)| format!("{:04}-{:02}-{:02}", x.0, x.1, x.2);
            let mut langs = vec!["zh"];
            if ag.english {
                langs.push("en");
            }
            serde_json::json!({
                "valid_from": d(ag.from),
                "valid_to": d(ag.to),
                "languages": langs,
                "has_ip_clause": ag.ip_clause,
            })
        }),
        seals: if a.sealed {
            vec![serde_json::json!({"text": SEALED_APPLICANT, "owner": "applicant"})]
        } else {
            Vec::new()
        },
        applicant_registered: a
            .registered
            .map(|d| format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)),
        // Every proposal carries the report `novelty_report()` writes.
        novelty_report: Some(serde_json::json!({
            "agency": NOVELTY_AGENCY,
            "date": format!("{:04}-{:02}-{:02}", a.novelty.0, a.novelty.1, a.novelty.2),
        })),
    }
}

/// Builds the batch of `call`: one zip `inbox/<call>-申报材料.zip` with a
/// folder per proposal under its direction folder.
pub fn batch(call: Call) -> Result<AppBatch> {
    let apps = cases(call);
    if apps.is_empty() {
        bail!("no cases");
    }
    let zip_name = format!("{}-申报材料.zip", call.scheme_id());
    let mut z = RawZip::new();
    let mut truth = Vec::new();
    for (i, a) in apps.iter().enumerate() {
        let leaf = match project_name(a) {
            n if n.is_empty() => format!("{}", i + 1),
            n => format!("{}.{n}", i + 1),
        };
        let dir = match a.folder {
            Some(d) => format!("{}/{leaf}", call.direction_name(d)),
            None => leaf,
        };
        let form = format!("{dir}/{}.申报书.docx", i + 1);
        z.file(Name::Utf8(form.clone()), &application_book(call, a), true);
        if let Some(ag) = &a.agreement {
            z.file(
                Name::Utf8(format!("{dir}/{}.合作协议.docx", i + 1)),
                &agreement_doc(a, ag),
                true,
            );
        }
        z.file(
            Name::Utf8(format!("{dir}/{}.查新报告.docx", i + 1)),
            &novelty_report(a),
            true,
        );
        truth.push(AppTruth {
            container: vec![zip_name.clone()],
            path: form,
            case: a.case.clone(),
            direction: a.direction.map(str::to_string),
            expect: a.expect.iter().map(|s| s.to_string()).collect(),
            twin_of: a.twin_of.iter().map(|s| s.to_string()).collect(),
            fields: truth_fields(a),
        });
    }
    Ok(AppBatch {
        files: vec![(format!("inbox/{zip_name}"), z.finish())],
        truth,
    })
}

/// Writes the batch under `out` (`inbox/…`, `truth.jsonl`); refuses a
/// non-empty `out/inbox`.
pub fn write(batch: &AppBatch, out: &std::path::Path) -> Result<()> {
    let inbox = out.join("inbox");
    if inbox.exists() && std::fs::read_dir(&inbox)?.next().is_some() {
        bail!("{} is not empty", inbox.display());
    }
    std::fs::create_dir_all(&inbox)?;
    for (rel, bytes) in &batch.files {
        std::fs::write(out.join(rel), bytes)?;
    }
    let mut lines = String::new();
    for t in &batch.truth {
        lines.push_str(&serde_json::to_string(t)?);
        lines.push('\n');
    }
    std::fs::write(out.join("truth.jsonl"), lines)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_has_clean_and_broken_cases() {
        for call in [Call::Shanxi, Call::Most, Call::Zhejiang] {
            let c = cases(call);
            let clean = |a: &&App| a.case.starts_with("clean");
            assert!(c.iter().filter(clean).count() >= 3);
            assert!(c.iter().filter(|a| !clean(a)).count() >= 6);
            let b = batch(call).unwrap();
            assert_eq!(b.truth.len(), c.len());
        }
    }

    #[test]
    #[ignore = "needs a CJK font; rewrites assets/seal-applicant.png"]
    fn render_seal_asset() {
        use crate::scan::{SealShape, SealSpec, load_font, stamp_seal};
        let (bytes, idx) = load_font().unwrap();
        let font = ab_glyph::FontRef::try_from_slice_and_index(&bytes, idx).unwrap();
        let mut img = image::RgbImage::from_pixel(340, 340, image::Rgb([255, 255, 255]));
        let spec = SealSpec {
            org: SEALED_APPLICANT.into(),
            bottom: None,
            shape: SealShape::Round,
        };
        let mut rng = crate::rng::Rng::new(3);
        stamp_seal(&mut img, &font, &spec, 170.0, 170.0, 146.0, &mut rng);
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/seal-applicant.png");
        std::fs::write(path, out.into_inner()).unwrap();
    }

    #[test]
    fn end_month() {
        assert_eq!(end_of((2025, 1), 24), (2026, 12));
        assert_eq!(end_of((2025, 3), 12), (2026, 2));
    }
}
