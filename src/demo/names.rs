//! Word lists the demo generator draws from: Guangzhou's districts and streets,
//! people's names, company brands, industries and the phrases of a dossier.
//!
//! The order of every list is part of the generated data: appending keeps old
//! seeds' data mostly alike, reordering changes everything.

/// A district of Guangzhou where customers are located.
pub struct District {
    pub name: &'static str,
    /// The name without 区, as it appears inside company names.
    pub short: &'static str,
    pub division: &'static str,
    /// Share of the customers located here (relative).
    pub weight: u32,
    pub streets: &'static [&'static str],
    pub postal_codes: &'static [&'static str],
}

pub const DISTRICTS: &[District] = &[
    District {
        name: "天河区",
        short: "天河",
        division: "440106",
        weight: 22,
        streets: &[
            "天河路",
            "天河北路",
            "体育东路",
            "体育西路",
            "林和西路",
            "黄埔大道西",
            "中山大道西",
            "花城大道",
            "珠江东路",
            "珠江西路",
            "华夏路",
            "冼村路",
            "天河东路",
            "五山路",
            "石牌西路",
            "员村二横路",
        ],
        postal_codes: &["510620", "510630", "510635", "510640", "510655", "510660", "510665"],
    },
    District {
        name: "越秀区",
        short: "越秀",
        division: "440104",
        weight: 18,
        streets: &[
            "中山五路",
            "中山四路",
            "北京路",
            "东风中路",
            "东风东路",
            "环市东路",
            "解放北路",
            "越秀北路",
            "农林下路",
            "寺右新马路",
            "流花路",
            "人民中路",
            "广卫路",
            "较场西路",
        ],
        postal_codes: &["510030", "510040", "510050", "510080", "510095", "510100", "510110"],
    },
    District {
        name: "海珠区",
        short: "海珠",
        division: "440105",
        weight: 14,
        streets: &[
            "江南大道中",
            "新港西路",
            "新港中路",
            "工业大道中",
            "宝岗大道",
            "昌岗中路",
            "南洲路",
            "革新路",
            "琶洲大道",
            "滨江东路",
            "逸景路",
        ],
        postal_codes: &["510220", "510240", "510250", "510260", "510280", "510300", "510310"],
    },
    District {
        name: "白云区",
        short: "白云",
        division: "440111",
        weight: 14,
        streets: &[
            "白云大道北",
            "机场路",
            "广园中路",
            "云城东路",
            "黄石东路",
            "同和路",
            "京溪路",
            "三元里大道",
            "增槎路",
            "大源中路",
        ],
        postal_codes: &["510400", "510405", "510420", "510430", "510440", "510450"],
    },
    District {
        name: "番禺区",
        short: "番禺",
        division: "440113",
        weight: 10,
        streets: &[
            "西环路",
            "番禺大道北",
            "兴南大道",
            "迎宾路",
            "亚运大道",
            "大学城外环西路",
            "清河东路",
            "汉溪大道东",
        ],
        postal_codes: &["511400", "511430", "511440", "511450", "511490"],
    },
    District {
        name: "荔湾区",
        short: "荔湾",
        division: "440103",
        weight: 6,
        streets: &["中山七路", "中山八路", "康王中路", "芳村大道中", "花地大道北", "龙津西路", "黄沙大道"],
        postal_codes: &["510140", "510150", "510160", "510170"],
    },
    District {
        name: "黄埔区",
        short: "黄埔",
        division: "440112",
        weight: 6,
        streets: &["科学大道", "开创大道", "香雪三路", "黄埔东路", "丰乐北路", "开发大道", "云埔一路"],
        postal_codes: &["510530", "510700", "510730"],
    },
    District {
        name: "花都区",
        short: "花都",
        division: "440114",
        weight: 4,
        streets: &["迎宾大道", "公益路", "凤凰北路", "天贵路", "建设北路"],
        postal_codes: &["510800", "510820", "510850"],
    },
    District {
        name: "南沙区",
        short: "南沙",
        division: "440115",
        weight: 3,
        streets: &["进港大道", "凤凰大道", "环市大道中", "港前大道"],
        postal_codes: &["511455", "511458"],
    },
    District {
        name: "从化区",
        short: "从化",
        division: "440117",
        weight: 1,
        streets: &["河滨北路", "青云路", "新城东路"],
        postal_codes: &["510900", "510925"],
    },
    District {
        name: "增城区",
        short: "增城",
        division: "440118",
        weight: 2,
        streets: &["府佑路", "增城大道", "港口大道", "荔景大道"],
        postal_codes: &["511300", "511340"],
    },
];

/// Towns (镇) of the outer districts and villages (村) in them, for the
/// customers there that are not in the district's town centre.
const RURAL_TOWNS: &[(&str, &[&str])] = &[
    ("从化区", &["温泉镇", "良口镇", "吕田镇", "鳌头镇"]),
    ("增城区", &["派潭镇", "正果镇", "小楼镇", "石滩镇", "中新镇"]),
    ("花都区", &["赤坭镇", "炭步镇", "梯面镇", "狮岭镇"]),
    ("南沙区", &["横沥镇", "榄核镇", "大岗镇"]),
    ("白云区", &["人和镇", "太和镇", "钟落潭镇"]),
    ("番禺区", &["石楼镇", "化龙镇", "石碁镇"]),
];
const VILLAGES: &[&str] = &["石坑村", "高滩村", "联星村", "大塘村", "凤和村", "水口村", "龙岗村", "上塘村"];

/// The town and village of a customer of `district` at house number
/// `number`, when it is in the countryside: half of 从化 and 增城, a third
/// of 花都 and 南沙, a tenth of 白云 and 番禺; `None` in the city.
pub fn rural_place(district: &str, number: i64) -> Option<(&'static str, &'static str)> {
    let (_, towns) = RURAL_TOWNS.iter().find(|(d, _)| *d == district)?;
    let every = match district {
        "从化区" | "增城区" => 2,
        "花都区" | "南沙区" => 3,
        _ => 10,
    };
    let n = usize::try_from(number).ok()?;
    (n % every == 0).then(|| (towns[(n / every) % towns.len()], VILLAGES[(n / 7) % VILLAGES.len()]))
}

/// Index of a district in [`DISTRICTS`] by its short name.
pub fn district_index(short: &str) -> usize {
    DISTRICTS.iter().position(|d| d.short == short).unwrap_or(0)
}

/// Office buildings an address may add after the street number.
pub const BUILDINGS: &[&str] = &["大厦", "商务中心", "国际大厦", "广场", "科技园", "写字楼", "综合楼", "产业园"];

/// Surnames, weighted towards those common in Guangdong.
pub const SURNAMES: &[(&str, u32)] = &[
    ("陈", 10),
    ("黄", 8),
    ("李", 8),
    ("梁", 6),
    ("林", 6),
    ("张", 6),
    ("罗", 4),
    ("何", 4),
    ("郭", 3),
    ("郑", 3),
    ("谭", 3),
    ("冯", 3),
    ("邓", 3),
    ("王", 5),
    ("刘", 5),
    ("吴", 3),
    ("周", 3),
    ("杨", 3),
    ("赵", 2),
    ("徐", 2),
    ("朱", 2),
    ("胡", 2),
    ("曾", 3),
    ("谢", 3),
    ("叶", 3),
    ("钟", 3),
    ("潘", 2),
    ("麦", 2),
    ("关", 2),
    ("区", 1),
    ("伍", 2),
    ("甘", 1),
    ("苏", 2),
    ("卢", 2),
    ("蔡", 2),
    ("许", 2),
    ("余", 2),
    ("彭", 1),
    ("肖", 1),
    ("方", 1),
    ("欧阳", 1),
    ("司徒", 1),
    ("韦", 1),
    ("莫", 1),
    ("古", 1),
    ("温", 1),
    ("严", 1),
    ("邹", 1),
];

pub const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平",
    "刚", "颖", "斌", "辉", "鹏", "宇", "琳", "倩", "蕾", "鑫", "晨", "宏", "燕", "玲", "峰", "亮", "健", "波", "华",
    "毅", "凯", "秀英", "桂英", "建华", "志强", "晓东", "海燕", "丽华", "国栋", "嘉欣", "俊杰", "子轩", "雅婷", "浩然",
    "文博", "思远", "伟明", "少华", "锦华", "家豪", "卓华", "淑仪", "美玲", "惠珍", "振宇", "永健", "佩珊", "咏诗",
    "志明", "伟强", "国华", "建国", "晓红", "婉婷", "嘉怡", "梓豪", "泳仪", "启明", "耀华", "丽萍", "文杰", "慧敏",
    "绮雯",
];

/// Two-character brands (字号) for company names, with their pinyin for email domains.
pub const BRANDS: &[(&str, &str)] = &[
    ("华信", "huaxin"),
    ("粤海", "yuehai"),
    ("穗丰", "suifeng"),
    ("南粤", "nanyue"),
    ("珠江", "zhujiang"),
    ("羊城", "yangcheng"),
    ("云山", "yunshan"),
    ("天骄", "tianjiao"),
    ("宏达", "hongda"),
    ("永兴", "yongxing"),
    ("恒通", "hengtong"),
    ("金穗", "jinsui"),
    ("广汇", "guanghui"),
    ("新粤", "xinyue"),
    ("利丰", "lifeng"),
    ("盛世", "shengshi"),
    ("鸿运", "hongyun"),
    ("嘉禾", "jiahe"),
    ("富华", "fuhua"),
    ("顺昌", "shunchang"),
    ("安达", "anda"),
    ("东方", "dongfang"),
    ("海德", "haide"),
    ("瑞丰", "ruifeng"),
    ("万通", "wantong"),
    ("汇通", "huitong"),
    ("泰和", "taihe"),
    ("德润", "derun"),
    ("华南", "huanan"),
    ("康达", "kangda"),
    ("明珠", "mingzhu"),
    ("凯达", "kaida"),
    ("鹏程", "pengcheng"),
    ("信达", "xinda"),
    ("联创", "lianchuang"),
    ("佳美", "jiamei"),
    ("华美", "huamei"),
    ("美华", "meihua"),
    ("立信", "lixin"),
    ("宝利", "baoli"),
    ("诚信", "chengxin"),
    ("志成", "zhicheng"),
    ("锦程", "jincheng"),
    ("锦绣", "jinxiu"),
    ("彩虹", "caihong"),
    ("新星", "xinxing"),
    ("南华", "nanhua"),
    ("北辰", "beichen"),
    ("远航", "yuanhang"),
    ("卓越", "zhuoyue"),
    ("创新", "chuangxin"),
    ("领航", "linghang"),
    ("博雅", "boya"),
    ("文华", "wenhua"),
    ("华贸", "huamao"),
    ("金桥", "jinqiao"),
    ("银河", "yinhe"),
    ("星光", "xingguang"),
    ("晨光", "chenguang"),
    ("朝阳", "zhaoyang"),
    ("旭日", "xuri"),
    ("蓝天", "lantian"),
    ("绿洲", "lvzhou"),
    ("青松", "qingsong"),
    ("翠竹", "cuizhu"),
    ("红棉", "hongmian"),
    ("木棉", "mumian"),
    ("紫荆", "zijing"),
    ("金沙", "jinsha"),
    ("银泰", "yintai"),
    ("启明", "qiming"),
    ("启航", "qihang"),
    ("致远", "zhiyuan"),
    ("广信", "guangxin"),
    ("粤信", "yuexin"),
    ("穗通", "suitong"),
    ("穗华", "suihua"),
    ("穗安", "suian"),
    ("广安", "guangan"),
    ("广泰", "guangtai"),
    ("广源", "guangyuan"),
    ("源丰", "yuanfeng"),
    ("丰源", "fengyuan"),
    ("聚源", "juyuan"),
    ("聚力", "juli"),
    ("合力", "heli"),
    ("协力", "xieli"),
    ("同心", "tongxin"),
    ("同创", "tongchuang"),
    ("众诚", "zhongcheng"),
    ("众信", "zhongxin"),
    ("众合", "zhonghe"),
    ("天成", "tiancheng"),
    ("天润", "tianrun"),
    ("天元", "tianyuan"),
    ("天宇", "tianyu"),
    ("宇航", "yuhang"),
    ("海天", "haitian"),
    ("海洋", "haiyang"),
    ("海纳", "haina"),
    ("海润", "hairun"),
    ("润华", "runhua"),
    ("润丰", "runfeng"),
    ("德信", "dexin"),
    ("德隆", "delong"),
    ("隆盛", "longsheng"),
    ("昌盛", "changsheng"),
    ("兴旺", "xingwang"),
    ("兴达", "xingda"),
    ("兴邦", "xingbang"),
    ("安邦", "anbang"),
    ("安泰", "antai"),
    ("泰丰", "taifeng"),
    ("康华", "kanghua"),
    ("康宁", "kangning"),
    ("宁远", "ningyuan"),
    ("远东", "yuandong"),
    ("东信", "dongxin"),
    ("东升", "dongsheng"),
    ("升华", "shenghua"),
    ("华泰", "huatai"),
    ("华盛", "huasheng"),
    ("华茂", "huamao"),
    ("茂源", "maoyuan"),
    ("金鼎", "jinding"),
    ("金马", "jinma"),
    ("金龙", "jinlong"),
    ("银龙", "yinlong"),
    ("飞龙", "feilong"),
    ("飞达", "feida"),
    ("飞鹏", "feipeng"),
    ("腾飞", "tengfei"),
    ("腾达", "tengda"),
    ("达成", "dacheng"),
    ("成达", "chengda"),
    ("通达", "tongda"),
    ("恒达", "hengda"),
    ("恒信", "hengxin"),
    ("恒丰", "hengfeng"),
    ("恒益", "hengyi"),
    ("益民", "yimin"),
    ("利民", "limin"),
    ("惠民", "huimin"),
    ("惠通", "huitong"),
    ("中和", "zhonghe"),
    ("和信", "hexin"),
    ("和润", "herun"),
    ("和美", "hemei"),
    ("美景", "meijing"),
    ("景华", "jinghua"),
    ("景泰", "jingtai"),
    ("新华", "xinhua"),
    ("新元", "xinyuan"),
    ("世纪", "shiji"),
    ("世通", "shitong"),
    ("环球", "huanqiu"),
    ("寰宇", "huanyu"),
    ("万家", "wanjia"),
    ("万利", "wanli"),
    ("万盛", "wansheng"),
    ("百信", "baixin"),
    ("百合", "baihe"),
    ("千禧", "qianxi"),
    ("千里", "qianli"),
    ("九洲", "jiuzhou"),
    ("九龙", "jiulong"),
    ("五羊", "wuyang"),
    ("三元", "sanyuan"),
    ("白鹅", "baie"),
    ("花城", "huacheng"),
    ("越华", "yuehua"),
    ("岭南", "lingnan"),
    ("南方", "nanfang"),
    ("南天", "nantian"),
    ("南星", "nanxing"),
    ("南洋", "nanyang"),
    ("北斗", "beidou"),
    ("西关", "xiguan"),
    ("东山", "dongshan"),
    ("沙面", "shamian"),
    ("流花", "liuhua"),
    ("麓湖", "luhu"),
    ("白鹭", "bailu"),
    ("鹏华", "penghua"),
    ("美联", "meilian"),
    ("联邦", "lianbang"),
    ("联华", "lianhua"),
    ("联兴", "lianxing"),
    ("金誉", "jinyu"),
    ("信诚", "xincheng"),
    ("诚达", "chengda"),
    ("智达", "zhida"),
    ("智源", "zhiyuan"),
    ("智汇", "zhihui"),
    ("慧通", "huitong"),
    ("科华", "kehua"),
    ("科达", "keda"),
    ("科创", "kechuang"),
    ("科信", "kexin"),
    ("速达", "suda"),
    ("捷通", "jietong"),
    ("快捷", "kuaijie"),
    ("优品", "youpin"),
    ("优选", "youxuan"),
    ("精诚", "jingcheng"),
    ("精工", "jinggong"),
    ("精艺", "jingyi"),
    ("艺华", "yihua"),
    ("雅居", "yaju"),
    ("雅致", "yazhi"),
    ("尚品", "shangpin"),
    ("名扬", "mingyang"),
    ("扬帆", "yangfan"),
    ("远帆", "yuanfan"),
    ("风帆", "fengfan"),
    ("蓝海", "lanhai"),
    ("碧海", "bihai"),
    ("翠园", "cuiyuan"),
    ("松柏", "songbai"),
    ("常青", "changqing"),
    ("长盛", "changsheng"),
    ("长信", "changxin"),
    ("瑞华", "ruihua"),
    ("瑞康", "ruikang"),
    ("瑞达", "ruida"),
    ("祥和", "xianghe"),
    ("吉祥", "jixiang"),
    ("福星", "fuxing"),
    ("福瑞", "furui"),
    ("好运", "haoyun"),
    ("宏图", "hongtu"),
    ("宏远", "hongyuan"),
    ("宏昌", "hongchang"),
    ("鸿基", "hongji"),
    ("鸿图", "hongtu"),
    ("基业", "jiye"),
    ("立业", "liye"),
    ("伟业", "weiye"),
    ("骏业", "junye"),
    ("骏达", "junda"),
    ("俊豪", "junhao"),
    ("新港", "xingang"),
    ("港华", "ganghua"),
    ("粤港", "yuegang"),
    ("粤丰", "yuefeng"),
    ("粤通", "yuetong"),
    ("粤安", "yuean"),
    ("穗兴", "suixing"),
];

/// An industry of the reference table, with the words its companies' names use.
pub struct IndustrySpec {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Share of the commercial customers in this industry (relative).
    pub weight: u32,
    /// What follows the brand in a company name: 华信 + 物流 + 有限公司.
    pub name_words: &'static [&'static str],
    pub business_scopes: &'static [&'static str],
    pub main_products: &'static [&'static str],
    /// Postal services such customers typically use first (SPEC §3 list).
    pub typical_services: &'static [&'static str],
}

pub const INDUSTRIES: &[IndustrySpec] = &[
    IndustrySpec {
        code: "government",
        name_zh: "政府机关",
        name_en: "Government",
        weight: 0,
        name_words: &[],
        business_scopes: &["行政管理及公共服务"],
        main_products: &["公文、政务信息发布、群众来信处理"],
        typical_services: &["函件", "特快", "报刊"],
    },
    IndustrySpec {
        code: "finance",
        name_zh: "金融保险",
        name_en: "Finance & insurance",
        weight: 8,
        name_words: &["小额贷款", "保险代理", "投资管理", "融资担保", "融资租赁", "保险经纪"],
        business_scopes: &["小额贷款、财务咨询", "保险代理、保险咨询", "股权投资、资产管理"],
        main_products: &["个人及小微企业贷款", "车险、寿险代理", "理财及资产管理服务"],
        typical_services: &["帐单", "函件", "特快"],
    },
    IndustrySpec {
        code: "telecom",
        name_zh: "电信运营",
        name_en: "Telecommunications",
        weight: 3,
        name_words: &["通信技术", "通信工程", "网络技术", "通信设备"],
        business_scopes: &["通信工程施工、通信设备销售", "增值电信业务、网络技术服务"],
        main_products: &["宽带接入、通信工程", "通信终端及配件"],
        typical_services: &["帐单", "商函", "包件"],
    },
    IndustrySpec {
        code: "energy",
        name_zh: "电力能源",
        name_en: "Power & energy",
        weight: 3,
        name_words: &["能源", "新能源科技", "电力工程", "石油化工", "燃气"],
        business_scopes: &["电力工程施工、节能技术服务", "成品油批发零售", "光伏设备研发与安装"],
        main_products: &["光伏组件、储能系统", "电力安装工程", "燃气供应"],
        typical_services: &["帐单", "特快", "函件"],
    },
    IndustrySpec {
        code: "education",
        name_zh: "教育",
        name_en: "Education",
        weight: 5,
        name_words: &["教育科技", "教育咨询", "职业培训", "文化教育"],
        business_scopes: &["教育咨询、职业技能培训", "教育软件开发、在线教育服务"],
        main_products: &["职业资格培训课程", "中小学课外辅导", "在线学习平台"],
        typical_services: &["特快", "函件", "报刊"],
    },
    IndustrySpec {
        code: "health",
        name_zh: "医疗卫生",
        name_en: "Healthcare",
        weight: 5,
        name_words: &["医药", "医疗器械", "健康管理", "大药房连锁", "生物科技"],
        business_scopes: &["药品批发零售、医疗器械销售", "健康咨询、体检服务", "生物制品研发"],
        main_products: &["处方药及非处方药", "医用耗材、检测试剂", "体检套餐"],
        typical_services: &["特快", "包件", "物流"],
    },
    IndustrySpec {
        code: "manufacturing",
        name_zh: "制造业",
        name_en: "Manufacturing",
        weight: 16,
        name_words: &[
            "电子科技",
            "机械制造",
            "服装",
            "食品",
            "化妆品",
            "家具",
            "精密制造",
            "塑料制品",
            "五金制品",
            "皮具",
            "汽车配件",
            "包装材料",
        ],
        business_scopes: &[
            "电子产品研发、生产及销售",
            "服装设计、生产及批发",
            "食品生产加工及销售",
            "化妆品研发、生产及销售",
            "汽车零部件制造",
        ],
        main_products: &["电子元器件", "女装、童装", "糕点、饮料", "护肤品、洗护用品", "汽车内饰件"],
        typical_services: &["包件", "物流", "特快"],
    },
    IndustrySpec {
        code: "retail",
        name_zh: "商贸零售",
        name_en: "Trade & retail",
        weight: 16,
        name_words: &["商贸", "贸易", "百货", "超市连锁", "进出口", "实业", "批发"],
        business_scopes: &["日用百货批发零售", "进出口贸易", "连锁超市经营", "建材、五金批发"],
        main_products: &["日用品、食品", "进口食品、红酒", "家电及数码产品", "建材五金"],
        typical_services: &["特快", "包件", "商函"],
    },
    IndustrySpec {
        code: "ecommerce",
        name_zh: "电子商务",
        name_en: "E-commerce",
        weight: 12,
        name_words: &["电子商务", "网络科技", "信息科技", "电商"],
        business_scopes: &["网上商品销售、网络技术服务", "跨境电商、供应链服务", "直播带货、网店代运营"],
        main_products: &["服装鞋帽网店", "美妆个护网店", "跨境小包", "农产品电商"],
        typical_services: &["特快", "包件", "物流"],
    },
    IndustrySpec {
        code: "logistics",
        name_zh: "物流快递",
        name_en: "Logistics & courier",
        weight: 8,
        name_words: &["物流", "供应链管理", "货运代理", "仓储服务", "国际货运"],
        business_scopes: &["普通货运、仓储服务", "国际货运代理", "供应链管理及配送"],
        main_products: &["仓储配送", "国际空运、海运代理", "城市配送"],
        typical_services: &["物流", "包件", "特快"],
    },
    IndustrySpec {
        code: "real_estate",
        name_zh: "房地产",
        name_en: "Real estate",
        weight: 6,
        name_words: &["房地产开发", "物业管理", "置业", "房地产代理"],
        business_scopes: &["房地产开发经营", "物业管理服务", "房地产中介服务"],
        main_products: &["住宅及商业地产", "物业服务", "二手房租售"],
        typical_services: &["商函", "帐单", "函件"],
    },
    IndustrySpec {
        code: "media",
        name_zh: "出版传媒",
        name_en: "Publishing & media",
        weight: 5,
        name_words: &["文化传播", "广告", "印务", "出版发行", "传媒"],
        business_scopes: &["广告设计、制作、代理、发布", "书刊印刷", "图书、期刊发行"],
        main_products: &["杂志、图书", "户外广告", "印刷品"],
        typical_services: &["报刊", "商函", "函件"],
    },
    IndustrySpec {
        code: "transport",
        name_zh: "交通运输",
        name_en: "Transport",
        weight: 4,
        name_words: &["运输", "客运", "汽车租赁", "航运", "交通发展"],
        business_scopes: &["道路旅客运输", "汽车租赁", "水路货物运输"],
        main_products: &["城际客运", "商务用车租赁", "内河航运"],
        typical_services: &["函件", "特快", "代理"],
    },
    IndustrySpec {
        code: "utilities",
        name_zh: "公用事业",
        name_en: "Public utilities",
        weight: 3,
        name_words: &["环保科技", "水务", "环境工程", "市政工程"],
        business_scopes: &["污水处理、环保设备", "市政道路工程施工", "供水设施运营"],
        main_products: &["水处理设备", "市政工程", "垃圾处理服务"],
        typical_services: &["帐单", "函件", "商函"],
    },
    IndustrySpec {
        code: "other",
        name_zh: "其他",
        name_en: "Other",
        weight: 6,
        name_words: &["企业管理咨询", "人力资源服务", "会展服务", "酒店管理", "餐饮管理"],
        business_scopes: &["企业管理咨询", "人力资源外包", "会议及展览服务", "酒店经营管理"],
        main_products: &["管理咨询服务", "劳务派遣", "展会组织", "酒店住宿、餐饮"],
        typical_services: &["函件", "特快", "储汇"],
    },
];

pub fn industry_index(code: &str) -> usize {
    INDUSTRIES.iter().position(|i| i.code == code).unwrap_or(INDUSTRIES.len() - 1)
}

/// Legal forms ending a company name, weighted.
pub const LEGAL_FORMS: &[(&str, u32)] =
    &[("有限公司", 60), ("股份有限公司", 15), ("有限责任公司", 12), ("集团有限公司", 8), ("实业有限公司", 5)];

/// Policy customers (政策性): party and government bodies of a district. The
/// second string is the short-name suffix after the district's short name.
pub const POLICY_BODIES: &[(&str, &str)] = &[
    ("广州市{d}人民政府办公室", "区府办"),
    ("中共广州市{d}委员会办公室", "区委办"),
    ("广州市{d}人民代表大会常务委员会办公室", "区人大办"),
    ("中国人民政治协商会议广州市{d}委员会办公室", "区政协办"),
    ("广州市{d}财政局", "财政局"),
    ("广州市{d}人力资源和社会保障局", "人社局"),
    ("国家税务总局广州市{d}税务局", "税务局"),
    ("广州市{d}市场监督管理局", "市监局"),
    ("广州市公安局{d}分局", "公安分局"),
    ("广州市{d}人民法院", "法院"),
    ("广州市{d}人民检察院", "检察院"),
    ("广州市{d}教育局", "教育局"),
    ("广州市{d}民政局", "民政局"),
    ("广州市{d}卫生健康局", "卫健局"),
    ("广州市{d}住房和城乡建设局", "住建局"),
    ("广州市{d}退役军人事务局", "退役军人局"),
    ("广州市{d}医疗保障局", "医保局"),
    ("中共广州市{d}委员会组织部", "区委组织部"),
];

/// Well-known large organisations: the city's anchor key customers. The first
/// must stay first: tests and the demo look for 电信帐务中心 by its pinyin.
pub struct Anchor {
    pub short: &'static str,
    pub full: &'static str,
    pub district: &'static str,
    pub industry: &'static str,
    pub policy: bool,
    /// Annual postal revenue in yuan.
    pub revenue: i64,
    pub email_domain: &'static str,
}

pub const ANCHORS: &[Anchor] = &[
    Anchor {
        short: "电信帐务中心",
        full: "中国电信广州分公司帐务中心",
        district: "天河",
        industry: "telecom",
        policy: false,
        revenue: 2_860_000,
        email_domain: "gd.chinatelecom.cn",
    },
    Anchor {
        short: "移动广州分公司",
        full: "中国移动通信集团广东有限公司广州分公司",
        district: "天河",
        industry: "telecom",
        policy: false,
        revenue: 3_420_000,
        email_domain: "gd.chinamobile.com",
    },
    Anchor {
        short: "广州供电局",
        full: "广东电网有限责任公司广州供电局",
        district: "越秀",
        industry: "energy",
        policy: false,
        revenue: 4_150_000,
        email_domain: "gz.csg.cn",
    },
    Anchor {
        short: "工行广州分行",
        full: "中国工商银行股份有限公司广州分行",
        district: "越秀",
        industry: "finance",
        policy: false,
        revenue: 1_980_000,
        email_domain: "gd.icbc.com.cn",
    },
    Anchor {
        short: "社保基金中心",
        full: "广州市社会保险基金管理中心",
        district: "越秀",
        industry: "government",
        policy: true,
        revenue: 860_000,
        email_domain: "gz.gov.cn",
    },
    Anchor {
        short: "广州自来水",
        full: "广州市自来水有限公司",
        district: "越秀",
        industry: "utilities",
        policy: false,
        revenue: 1_260_000,
        email_domain: "gzwatersupply.com",
    },
    Anchor {
        short: "广州地铁",
        full: "广州地铁集团有限公司",
        district: "海珠",
        industry: "transport",
        policy: false,
        revenue: 940_000,
        email_domain: "gzmtr.com",
    },
    Anchor {
        short: "广州日报",
        full: "广州日报报业集团",
        district: "越秀",
        industry: "media",
        policy: false,
        revenue: 5_600_000,
        email_domain: "gzdaily.com",
    },
    Anchor {
        short: "中山大学",
        full: "中山大学",
        district: "海珠",
        industry: "education",
        policy: false,
        revenue: 720_000,
        email_domain: "sysu.edu.cn",
    },
    Anchor {
        short: "省人民医院",
        full: "广东省人民医院",
        district: "越秀",
        industry: "health",
        policy: false,
        revenue: 560_000,
        email_domain: "gdph.org.cn",
    },
    Anchor {
        short: "白云机场",
        full: "广州白云国际机场股份有限公司",
        district: "白云",
        industry: "transport",
        policy: false,
        revenue: 1_350_000,
        email_domain: "gbiac.net",
    },
    Anchor {
        short: "唯品会",
        full: "广州唯品会电子商务有限公司",
        district: "海珠",
        industry: "ecommerce",
        policy: false,
        revenue: 12_800_000,
        email_domain: "vipshop.com",
    },
];

/// Departments of a customer that deal with the post.
pub const CONTACT_DEPTS: &[&str] =
    &["办公室", "行政部", "综合管理部", "财务部", "市场部", "物流部", "客户服务部", "采购部", "运营部"];

pub const EMAIL_LOCALS: &[&str] = &["office", "service", "admin", "info", "finance", "hr", "kefu", "xingzheng"];

/// Mobile prefixes of the three operators.
pub const MOBILE_PREFIXES: &[&str] =
    &["138", "139", "137", "136", "135", "150", "158", "188", "186", "185", "189", "133", "177", "199"];

pub const FINANCIAL_SITUATIONS: &[&str] = &[
    "经营稳健，现金流充足",
    "营收稳步增长，回款及时",
    "近两年利润有所下滑，注意账期",
    "上市公司，财务公开透明",
    "资金偏紧，需关注回款",
    "财政拨款单位，预算执行规范",
];

pub const BUSINESS_PLANS: &[&str] = &[
    "计划明年拓展华南区域业务",
    "推进线上渠道建设，电商业务占比将提高",
    "拟在白云区新建仓储中心",
    "压缩行政开支，推行集中采购",
    "筹备上市，规范内部管理",
    "开拓东南亚出口市场",
];

pub const POTENTIALS: &[&str] =
    &["高：业务扩张期，寄递需求增长明显", "中：用邮需求稳定", "中：有帐单业务迁移意向", "低：业务收缩，用邮量下降"];

pub const STRENGTHS: &[&str] =
    &["与我局合作多年，关系稳固", "决策链短，响应快", "用邮量大且稳定", "付款及时，信誉良好", "对邮政品牌认可度高"];

pub const WEAKNESSES: &[&str] =
    &["对价格敏感", "同时与多家快递合作，忠诚度不高", "内部审批流程较长", "季节性波动大", "联系人更换频繁"];

pub const CREDITS: &[&str] = &["AAA", "AA", "A", "良好", "一般"];

pub const DEPARTMENTS: &[&str] = &[
    "办公室",
    "财务部",
    "市场部",
    "销售部",
    "物流部",
    "人力资源部",
    "技术部",
    "采购部",
    "客服中心",
    "生产部",
    "法务部",
];

/// Titles of a company's key persons by decision role.
pub const TITLES_DECISION: &[&str] = &["董事长", "总经理", "副总经理", "总裁"];
pub const TITLES_HANDLER: &[&str] = &["办公室主任", "行政经理", "行政主管", "采购经理", "物流经理", "综合部经理"];
pub const TITLES_FINANCE: &[&str] = &["财务总监", "财务经理", "财务主管"];
pub const TITLES_OTHER: &[&str] = &["市场总监", "人力资源经理", "董事会秘书", "总经理助理", "客服经理"];

/// Titles in a government body.
pub const POLICY_TITLES_DECISION: &[&str] = &["局长", "主任", "副局长"];
pub const POLICY_TITLES_HANDLER: &[&str] = &["办公室主任", "文书科科长", "机要员", "综合科科长"];
pub const POLICY_TITLES_FINANCE: &[&str] = &["财务科科长", "会计"];
pub const POLICY_TITLES_OTHER: &[&str] = &["副主任", "科员", "调研员"];

pub const ETHNICITIES: &[(&str, u32)] = &[("汉族", 92), ("壮族", 3), ("回族", 2), ("满族", 2), ("瑶族", 1)];
pub const MARITAL: &[&str] = &["已婚", "已婚", "已婚", "未婚", "离异"];
pub const EDUCATION: &[&str] = &["本科", "本科", "硕士", "大专", "MBA", "博士"];
pub const FAMILY: &[&str] = &[
    "配偶在银行工作，女儿读高中",
    "儿子在读大学",
    "配偶为中学教师，一子一女",
    "父母同住，孩子读小学",
    "女儿在国外留学",
];

pub const INTERESTS: &[&str] = &[
    "喜欢书法",
    "爱好摄影",
    "喜欢打高尔夫",
    "爱喝功夫茶",
    "喜欢粤剧",
    "爱好钓鱼",
    "喜欢打羽毛球",
    "热衷跑步",
    "喜欢收藏邮票",
    "喜欢读历史书",
    "爱好登山",
    "喜欢游泳",
    "喜欢下象棋",
    "热爱旅游",
    "喜欢品红酒",
    "爱打乒乓球",
];

pub const TABOOS: &[&str] = &[
    "忌讳数字4",
    "不喜欢饭局劝酒",
    "不吃辣",
    "不吃牛肉",
    "忌送钟表",
    "不喜欢电话推销",
    "反感迟到",
    "忌送梨",
    "素食",
    "不饮酒",
];

pub const IMPORTANT_EVENTS: &[&str] =
    &["公司周年庆", "结婚纪念日", "公司成立纪念日", "女儿生日", "儿子生日", "年度供应商大会", "公司年会"];

pub const COMPETITOR_TIES: &[&str] = &["与顺丰区域经理是老同学", "曾在京东物流任职", "亲属在中通加盟网点工作"];

/// Competitors of the post in Guangzhou, with a typical offer each.
pub const COMPETITORS: &[(&str, &str)] = &[
    ("顺丰速运", "标准快递首重12元、续重2元/公斤，月结八五折"),
    ("中通快递", "省内首重5元、续重1元/公斤"),
    ("圆通速递", "电商件3.5元/票，量大另议"),
    ("京东物流", "仓配一体，按单计费4.8元/单"),
    ("韵达快递", "首重4.5元，周结"),
    ("申通快递", "电商件3.2元/票"),
    ("德邦快递", "大件快递360，30公斤内首重18元"),
    ("极兔速递", "首重3元，冲量价"),
    ("穗通同城快递", "同城当日达8元/票，月结"),
];

pub const MARKETING_MEANS: &[&str] =
    &["月结账期、上门取件", "免费包装材料、驻点收件", "返利及年底奖励", "专属客服、系统对接", "低价冲量"];

pub const PERSONAL_TIES: &[&str] =
    &["与对方行政经理关系密切", "业务员常驻客户办公室", "通过高层关系引入", "暂无明显私人关系"];

pub const VOLUMES: &[&str] = &["约300件/月", "约800件/月", "约2000件/月", "约5000件/月", "约1.2万件/月", "零星使用"];

pub const GROWTH: &[&str] = &["较上年增长", "较上年下降"];
